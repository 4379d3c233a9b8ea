//! The layer check: every module of `src/` imports only the layers below
//! it (DESIGN.md "Layout", docs/architecture.md), and no two top-level
//! modules depend on each other in a circle.
//!
//! It reads the source, not the compiler's graph: every `crate::X` path
//! (in `use` lines and inline), and `super::X` where `super` is the crate
//! root, outside comments, strings and `#[cfg(test)]` code (unit tests may
//! run the core in process, as integration tests do). `KNOWN` lists the
//! violations still allowed, file by file (none today): a new one fails,
//! and so does a listed one that is gone, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each top-level module may import (besides itself and std/crates).
/// `root` is `lib.rs` and `main.rs`, which name every module.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("api", &["model"]),
    ("store", &["model", "api"]),
    ("access", &["model", "api"]),
    ("matching", &["model", "api"]),
    // Figures count from their own index: aggregates, no store.
    ("figures", &["model", "api"]),
    // Search filters its hits by the one table of rights.
    ("search", &["model", "api", "access"]),
    // The configuration file carries matching's weights.
    ("config", &["model", "api", "matching"]),
    // Log lines that cannot be forged, for the server's log and the interface's.
    ("logging", &["model"]),
    ("bank", &["model", "api", "store", "access", "matching", "search", "figures", "config"]),
    ("protocol", &["model", "api"]),
    ("server", &["model", "api", "store", "access", "bank", "protocol", "config", "logging"]),
    ("client", &["model", "api", "protocol", "config"]),
    // The edge's words: sentences for every error a client shows.
    ("i18n", &["model", "api", "protocol", "client"]),
    ("present", &["model", "api", "i18n"]),
    ("cli", &["model", "api", "protocol", "client", "present", "i18n", "config"]),
    // The interface offers only the keys and tabs the one table of rights
    // allows (the core still decides every request): it reads `access`, a
    // pure function of the caller, never the bank.
    ("tui", &["model", "api", "protocol", "client", "present", "i18n", "config", "access", "logging"]),
    // The demo's generator writes a bank in process.
    ("demo", &["model", "api", "bank", "store", "matching", "figures", "config"]),
];

/// The binary's entry, `cli/mod.rs`, and the one file of `cli` that names
/// what runs in the process: the server (`banca serve`, and `banca import`
/// with no server, through `server::entry`), the demo generator (`banca
/// demo`'s lines) and the interface (`banca` alone).
const ENTRY_POINTS: &[(&str, &str)] =
    &[("src/cli/mod.rs", "server"), ("src/cli/mod.rs", "demo"), ("src/cli/mod.rs", "tui")];

/// Violations still allowed, each line (file, the module it must not
/// import): none. The mechanism stays, so that a violation found later
/// can be named here while it is mended; never add one otherwise.
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let graph = Graph::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let known: BTreeSet<(&str, &str)> = KNOWN.iter().copied().collect();
    let mut new = Vec::new();
    let mut seen_known = BTreeSet::new();
    let mut seen_entries = BTreeSet::new();
    for (file, uses) in &graph.files {
        let module = top_module(file);
        if module == "root" {
            continue;
        }
        let Some(may) = allowed.get(module.as_str()) else {
            new.push(format!("{file}: module `{module}` is not in the layer map (ALLOWED)"));
            continue;
        };
        for (target, line) in uses {
            if *target == module || may.contains(&target.as_str()) {
                continue;
            }
            if ENTRY_POINTS.contains(&(file.as_str(), target.as_str())) {
                seen_entries.insert((file.clone(), target.clone()));
                continue;
            }
            if known.contains(&(file.as_str(), target.as_str())) {
                seen_known.insert((file.clone(), target.clone()));
            } else {
                new.push(format!("{file}:{line}: `{module}` imports `{target}`"));
            }
        }
    }
    let gone: Vec<String> = known
        .iter()
        .filter(|(f, t)| !seen_known.contains(&(f.to_string(), t.to_string())))
        .map(|(f, t)| format!("{f} → {t}"))
        .collect();
    // An entry point that no longer names its target is no longer one: the list says only what is.
    let idle_entries: Vec<String> = ENTRY_POINTS
        .iter()
        .filter(|(f, t)| !seen_entries.contains(&(f.to_string(), t.to_string())))
        .map(|(f, t)| format!("{f} → {t}"))
        .collect();
    println!("layer check: {} known violations allowed (KNOWN), {} new", KNOWN.len(), new.len());
    assert!(new.is_empty(), "imports that go against the layers:\n{}", new.join("\n"));
    assert!(gone.is_empty(), "mended: remove these lines from KNOWN so they cannot come back:\n{}", gone.join("\n"));
    assert!(idle_entries.is_empty(), "entry points that import nothing of their target:\n{}", idle_entries.join("\n"));
}

/// The map itself points down, and so do the imports it lets through
/// (any known violation aside: it is on its way out).
#[test]
fn no_two_top_level_modules_depend_on_each_other_in_a_circle() {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, may) in ALLOWED {
        map.entry(module.to_string()).or_default().extend(may.iter().map(|m| m.to_string()));
    }
    let cycle = find_cycle(&map);
    assert!(cycle.is_none(), "the layer map has a circle: {}", cycle.unwrap_or_default().join(" → "));

    let graph = Graph::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, uses) in &graph.files {
        let module = top_module(file);
        for (target, _) in uses {
            if *target != module && module != "root" && !KNOWN.contains(&(file.as_str(), target.as_str())) {
                edges.entry(module.clone()).or_default().insert(target.clone());
            }
        }
    }
    let cycle = find_cycle(&edges);
    assert!(cycle.is_none(), "modules in a circle: {}", cycle.unwrap_or_default().join(" → "));
}

/// sled is the store's business: no other module names it (the store
/// gives them `Bytes`, `Batch`, `TxResult` and methods of its own).
#[test]
fn sled_is_named_only_inside_the_store() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    let mut outside = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if rel.starts_with("store/") {
            continue;
        }
        let code = strip_literals(&std::fs::read_to_string(&path).unwrap());
        for (n, line) in code.lines().enumerate() {
            let names_sled = line.match_indices("sled").any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + 4..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if names_sled {
                outside.push(format!("src/{rel}:{}", n + 1));
            }
        }
    }
    assert!(outside.is_empty(), "sled named outside src/store/:\n{}", outside.join("\n"));
}

#[test]
fn the_reader_finds_paths_in_code_and_skips_comments_strings_and_unit_tests() {
    let code = r#"
        //! Talks to crate::server in prose only.
        use crate::{api::Request, model::{Role, Lang}};
        use super::store::Store;
        fn f() -> crate::bank::Bank { let s = "crate::tui"; let c = '{'; todo!() }
        /* crate::cli */
        #[cfg(test)]
        mod tests {
            use crate::demo;
            fn g() { let _ = "}"; }
        }
        fn h() { crate::search::parse("x") }
    "#;
    let here = ["tui".to_string(), "screens".to_string(), "audit".to_string()];
    let found: BTreeSet<String> = paths_in(&strip(code), &here).into_iter().map(|(m, _)| m).collect();
    let expected: BTreeSet<String> = ["api", "model", "bank", "search"].map(String::from).into();
    assert_eq!(found, expected);
    // From a file at the crate's root, `super::` names a top-level module.
    let found: BTreeSet<String> =
        paths_in(&strip("use super::store::Store;"), &["access".to_string()]).into_iter().map(|(m, _)| m).collect();
    assert_eq!(found, ["store".to_string()].into());
}

#[test]
fn files_of_unit_tests_declared_elsewhere_are_not_read() {
    let code = strip_literals("#[cfg(test)]\nmod tests;\n#[cfg(test)]\nmod inline {}\npub mod real;");
    assert_eq!(test_modules(&code), ["tests"]);
}

#[test]
fn a_circle_is_found() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&edges), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    edges.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&edges), None);
}

/// Every file of `src/` and the top-level modules it names, with a line each.
struct Graph {
    files: BTreeMap<String, Vec<(String, usize)>>,
}

impl Graph {
    fn read(src: PathBuf) -> Graph {
        let root = src.parent().unwrap().to_path_buf();
        let mut paths = Vec::new();
        walk(&src, &mut paths);
        let mut test_files = BTreeSet::new();
        let mut texts = BTreeMap::new();
        for path in &paths {
            let text = std::fs::read_to_string(path).unwrap();
            let code = strip_literals(&text);
            for name in test_modules(&code) {
                let dir = module_dir(path);
                test_files.insert(dir.join(format!("{name}.rs")));
                test_files.insert(dir.join(&name).join("mod.rs"));
            }
            texts.insert(path.clone(), remove_test_items(&code));
        }
        let mut files = BTreeMap::new();
        for (path, stripped) in texts {
            if test_files.contains(&path) {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            let module_path = module_path(&rel);
            files.insert(rel, paths_in(&stripped, &module_path));
        }
        // Only modules count: `crate::some_macro` names an exported macro.
        let modules: BTreeSet<String> = files.keys().map(|f| top_module(f)).collect();
        for uses in files.values_mut() {
            uses.retain(|(target, _)| modules.contains(target));
        }
        Graph { files }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/tui/screens/audit.rs` → `tui`; `src/lib.rs`, `src/main.rs` → `root`.
fn top_module(file: &str) -> String {
    let rest = file.strip_prefix("src/").unwrap_or(file);
    match rest.split_once('/') {
        Some((dir, _)) => dir.to_string(),
        None if rest == "lib.rs" || rest == "main.rs" => "root".into(),
        None => rest.trim_end_matches(".rs").to_string(),
    }
}

/// The module path of a file: `src/tui/screens/audit.rs` → [tui, screens, audit].
fn module_path(file: &str) -> Vec<String> {
    let rest = file.strip_prefix("src/").unwrap_or(file).trim_end_matches(".rs");
    let mut parts: Vec<String> = rest.split('/').map(String::from).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// Where the files of a module's children are: `src/a/mod.rs` → `src/a`, `src/a/b.rs` → `src/a/b`.
fn module_dir(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap().to_string_lossy();
    if matches!(stem.as_ref(), "mod" | "lib" | "main") {
        path.parent().unwrap().to_path_buf()
    } else {
        path.with_extension("")
    }
}

/// The code as the layers see it: no comments, literals or unit tests.
fn strip(text: &str) -> String {
    remove_test_items(&strip_literals(text))
}

/// The text with comments, string and char literals blanked (newlines
/// kept, so line numbers hold).
fn strip_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&chars, i) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(&ch) => out.push(blank(ch)),
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&ch) = chars.get(i) {
                    out.push(blank(ch));
                }
                i += 1;
            }
            out.push_str("\"\"");
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{7f}'), or a lifetime ('a).
            let close = if next == Some('\\') {
                (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            match close {
                Some(j) => {
                    out.push_str("' '");
                    i = j + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// Blanks every item that follows `#[cfg(test)]` (a `mod tests { … }`, a
/// `use`, a function), keeping newlines.
fn remove_test_items(text: &str) -> String {
    let mut out: Vec<char> = text.chars().collect();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + marker.len() <= out.len() {
        if out[i..i + marker.len()] != marker[..] {
            i += 1;
            continue;
        }
        // The item ends at the `;` before any brace, or at its closing brace.
        let mut j = i + marker.len();
        let mut depth = 0;
        while j < out.len() {
            match out[j] {
                ';' if depth == 0 => break,
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let end = (j + 1).min(out.len());
        for c in &mut out[i..end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = j + 1;
    }
    out.into_iter().collect()
}

/// Names of `#[cfg(test)] mod NAME;` declarations: their files are test code.
fn test_modules(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("#[cfg(test)]") {
        let words: Vec<&str> = code[at + "#[cfg(test)]".len()..].split_whitespace().take(3).collect();
        let (keyword, name) = match words.as_slice() {
            ["pub", "mod", name, ..] | ["pub(crate)", "mod", name, ..] => ("mod", *name),
            ["mod", name, ..] => ("mod", *name),
            _ => ("", ""),
        };
        if keyword == "mod" && name.ends_with(';') {
            names.push(name.trim_end_matches(';').to_string());
        }
    }
    names
}

/// Top-level modules named by `crate::X` (and `crate::{X, Y::…}`), and by
/// `super::X` where `super` is the crate root, with the line of each.
fn paths_in(text: &str, module_path: &[String]) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some((end, supers)) = find_path_start(rest) {
            let after = &rest[end..];
            // `super::…` names the crate root when there are as many as the module is deep.
            let names = if supers == 0 || supers == module_path.len() { leading_names(after) } else { Vec::new() };
            for name in names {
                found.push((name, n + 1));
            }
            rest = after;
        }
    }
    // A `use crate::{…}` group may span lines: read it whole.
    for (start, _) in text.match_indices("crate::{") {
        let line = text[..start].matches('\n').count() + 1;
        for name in group_names(&text[start + "crate::".len()..]) {
            found.push((name, line));
        }
    }
    found
}

/// The next `crate::` or `super::super::…` path in `s`: (offset after it,
/// how many `super`s, 0 for `crate`).
fn find_path_start(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let c = s[from..].find("crate::").map(|i| from + i);
        let p = s[from..].find("super::").map(|i| from + i);
        let at = match (c, p) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return None,
        };
        let bounded = at == 0 || !s[..at].ends_with(|ch: char| ch.is_alphanumeric() || ch == '_' || ch == ':');
        if !bounded {
            from = at + 1;
            continue;
        }
        if s[at..].starts_with("crate::") {
            return Some((at + "crate::".len(), 0));
        }
        let mut end = at;
        let mut depth = 0;
        while s[end..].starts_with("super::") {
            end += "super::".len();
            depth += 1;
        }
        return Some((end, depth));
    }
}

/// The identifier at the start of `s` (a `{` group is read by `group_names`).
fn leading_names(s: &str) -> Vec<String> {
    let name: String = s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if name.is_empty() || name == "self" {
        Vec::new()
    } else {
        vec![name]
    }
}

/// The first segment of each item of a `{…}` group at its top level.
fn group_names(s: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0;
    let mut item_start = true;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    item_start = true;
                    continue;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => item_start = true,
            c if depth == 1 && item_start && (c.is_alphanumeric() || c == '_') => {
                item_start = false;
                let name: String = s[i..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                for _ in 1..name.chars().count() {
                    chars.next();
                }
                if name != "self" {
                    names.push(name);
                }
            }
            _ => {}
        }
    }
    names
}

/// A circle in the graph, as the modules along it (the first again at the end).
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|n| n == node).unwrap();
                let mut cycle = stack[from..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, edges, &mut marks, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}
