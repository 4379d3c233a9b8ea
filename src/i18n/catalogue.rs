//! The edge's name for the one catalogue mechanism (`model::catalogue`,
//! in the bottom layer so the model's own words use it too), the i18n
//! layer's own catalogues, and the completeness test over every catalogue
//! of the crate (`crate::catalogues()`).

pub(crate) use crate::model::catalogue::catalogue;
pub use crate::model::catalogue::{fill, placeholders, Catalogue, Entry};

/// The catalogues of this layer: the sentences of errors, problems,
/// matching and events.
pub const CATALOGUES: &[Catalogue] = &[
    super::errors::ErrorWords::CATALOGUE,
    super::problems::ReasonWords::CATALOGUE,
    super::events::EventWords::CATALOGUE,
    super::fields::FieldWords::CATALOGUE,
    super::matching::MatchingWords::CATALOGUE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Every key has a text in each language, no text is empty or only
    /// spaces, both texts name the same placeholders, and no two
    /// catalogues share a name.
    #[test]
    fn every_key_reads_in_italian_and_english_with_the_same_placeholders() {
        let mut problems = Vec::new();
        let mut keys = 0;
        let mut names = BTreeMap::new();
        for cat in crate::catalogues() {
            *names.entry(cat.name).or_insert(0) += 1;
            for e in (cat.entries)() {
                keys += 1;
                let at = format!("{}::{}", cat.name, e.key);
                if e.it.trim().is_empty() {
                    problems.push(format!("{at}: no Italian text"));
                }
                if e.en.trim().is_empty() {
                    problems.push(format!("{at}: no English text"));
                }
                if placeholders(e.it) != placeholders(e.en) {
                    problems.push(format!(
                        "{at}: placeholders differ: {:?} in Italian, {:?} in English",
                        placeholders(e.it),
                        placeholders(e.en)
                    ));
                }
            }
        }
        println!("{} catalogues, {keys} keys", names.len());
        problems.extend(names.into_iter().filter(|(_, n)| *n > 1).map(|(name, _)| format!("{name}: listed twice")));
        assert!(keys > 900, "only {keys} keys: is a layer's list missing?");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// A catalogue declared in the source and missing from its layer's
    /// `CATALOGUES` would escape the test above: every `catalogue!`,
    /// `texts!` and `vocabulary!` in `src/` must be listed.
    #[test]
    fn every_catalogue_in_the_source_is_listed() {
        let listed: Vec<&str> = crate::catalogues().iter().map(|c| c.name).collect();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut found = 0;
        for (module, text) in sources(&src, &src) {
            for name in declared(&text) {
                found += 1;
                let full = format!("banca::{module}::{name}");
                // A catalogue declared inside a unit test is not the program's.
                if !listed.contains(&full.as_str()) && !is_in_tests(&text, &name) {
                    missing.push(full);
                }
            }
        }
        assert!(found > 20, "the scan found only {found} catalogues");
        assert!(missing.is_empty(), "catalogues not listed in their layer's CATALOGUES:\n{}", missing.join("\n"));
    }

    /// Every `.rs` file under `dir` as (module path, text).
    fn sources(root: &Path, dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(sources(root, &path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                    parts.pop();
                }
                out.push((parts.join("::"), std::fs::read_to_string(&path).unwrap()));
            }
        }
        out
    }

    /// The names of the catalogues a file declares: `catalogue!(Name {`,
    /// `texts!(Name {` anywhere on a line (comments aside), or the name on
    /// the line after `catalogue!(` or `vocabulary! {`, past doc comments.
    fn declared(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let mut names = Vec::new();
        let name_at = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with("//") {
                continue;
            }
            for opening in ["catalogue!(", "texts!("] {
                for (at, _) in line.match_indices(opening) {
                    let name = name_at(line[at + opening.len()..].trim_start());
                    if !name.is_empty() {
                        names.push(name);
                    }
                }
            }
            if line.ends_with("catalogue!(") || *line == "vocabulary! {" {
                let next = lines[i + 1..].iter().find(|l| !l.starts_with("///") && !l.starts_with("#["));
                if let Some(next) = next {
                    let name = name_at(next.strip_prefix("pub enum ").unwrap_or(next));
                    if !name.is_empty() {
                        names.push(name);
                    }
                }
            }
        }
        names
    }

    fn is_in_tests(text: &str, name: &str) -> bool {
        text.find("#[cfg(test)]").is_some_and(|t| {
            text[t..].contains(&format!("catalogue!({name}")) || text[t..].contains(&format!("texts!({name}"))
        })
    }
}
