//! `banca language [NAME]`: the languages the bank knows, read from the
//! vocabulary in this process (no server, like `banca comune`): all of
//! them, or what one name stands for.

use clap::Args;

use super::session::{print_json, CliResult, Failure, Settings};
use super::table::Table;
use crate::i18n::{catalogue, describe_reason};
use crate::model::languages::{canonical, refusal, Language};

#[derive(Args, Debug)]
pub struct LanguageArgs {
    /// Un nome di lingua in italiano o in inglese, un'altra grafia o una varietà; senza, l'elenco intero
    pub(super) name: Option<String>,
}

catalogue!(
    /// The words of `banca language`.
    LanguageWords {
        Name => "lingua", "language";
        English => "in inglese", "in English";
        Aliases => "si scrive anche", "also written";
        Is => "«{given}» è {name} ({english})", "\"{given}\" is {name} ({english})";
    }
);

pub fn run(settings: &Settings, args: LanguageArgs) -> CliResult {
    let lang = settings.lang;
    let Some(given) = args.name else {
        if settings.json {
            return print_json(&Language::all().map(as_json).collect::<Vec<_>>());
        }
        let w = LanguageWords::Name.get(lang);
        let mut table = Table::new(&[w, LanguageWords::English.get(lang), LanguageWords::Aliases.get(lang)]);
        for l in Language::all() {
            table.row(vec![l.name().into(), l.english().into(), l.aliases().join(", ")]);
        }
        out!("{}", table.render());
        return Ok(());
    };
    match canonical(&given) {
        Some(l) if settings.json => print_json(&as_json(l)),
        Some(l) => {
            let given = given.trim();
            outln!(
                "{}",
                LanguageWords::Is.fill(lang, &[("given", &given), ("name", &l.name()), ("english", &l.english())])
            );
            Ok(())
        }
        None => {
            let reason = refusal(&given, &[]).expect("a name the vocabulary does not know");
            Err(Failure::User(describe_reason(&reason, lang)))
        }
    }
}

fn as_json(l: Language) -> serde_json::Value {
    serde_json::json!({ "name": l.name(), "english": l.english(), "aliases": l.aliases() })
}
