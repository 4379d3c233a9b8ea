//! `banca watch [--json]`: the bank's changes as they happen, those the
//! caller may see, one a line, until Ctrl-C or the server goes. For
//! scripts (`--json`: one object a line) and to check from outside what
//! each user hears.

use crate::api::Event;
use crate::client::Client;
use crate::i18n::{event_label, event_revision, events_missed, Lang};

use super::session::{CliResult, Failure, Settings};
use crate::i18n::catalogue;

catalogue!(
    /// What the watch command says.
    WatchWords {
        BancaListeningForThe => "banca: in ascolto delle modifiche che si possono vedere (Ctrl-C per uscire)",
            "banca: listening for the changes you may see (Ctrl-C to leave)";
        By => "da", "by";
    }
);

pub fn run(settings: &Settings) -> CliResult {
    let lang = settings.lang;
    let target = settings.target(false);
    let mut client = Client::connect(target).map_err(|e| Failure::from_client(&e, lang))?;
    client.subscribe().map_err(|e| Failure::from_client(&e, lang))?;
    if !settings.json {
        errln!("{}", WatchWords::BancaListeningForThe.get(lang));
    }
    loop {
        // Events come only after a change; a read with no end is what we want.
        let events = client.wait_events().map_err(|e| Failure::from_client(&e, lang))?;
        for event in events {
            let at = chrono::Local::now();
            if settings.json {
                println!(
                    "{}",
                    crate::model::plain::inert_json(&json_line(
                        &event,
                        &at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                    ))
                );
            } else {
                outln!("{}", human_line(&event, &at.format("%H:%M:%S").to_string(), lang));
            }
        }
    }
}

/// The line's fields, as scripts have always read them: the whole bank is
/// kind `bank` and code `*`; missed events are kind `lagged`.
fn fields(event: &Event) -> (&str, &str, u64, &str) {
    match event {
        Event::Changed(c) => (c.kind.as_str(), &c.code, c.revision, &c.by),
        Event::Bank { by } => ("bank", "*", 0, by),
        Event::Lagged => ("lagged", "", 0, ""),
    }
}

fn json_line(event: &Event, at: &str) -> String {
    let (kind, code, revision, by) = fields(event);
    serde_json::json!({
        "at": at,
        "kind": kind,
        "code": code,
        "revision": revision,
        "by": by,
    })
    .to_string()
}

fn human_line(event: &Event, at: &str, lang: Lang) -> String {
    if matches!(event, Event::Lagged) {
        return format!("{at}  {}", events_missed(lang));
    }
    let (_, code, revision, by) = fields(event);
    format!(
        "{at}  {:<10} {:<12} {:<12} {} {}",
        event_label(event, lang),
        crate::model::plain::neutralise(code),
        event_revision(revision, lang),
        WatchWords::By.get(lang),
        crate::model::plain::neutralise(by)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Change, RecordKind};

    fn event(kind: RecordKind, code: &str, revision: u64, by: &str) -> Event {
        Event::Changed(Change { kind, code: code.into(), revision, by: by.into() })
    }

    #[test]
    fn a_line_says_when_what_which_revision_and_who_in_either_language() {
        let e = event(RecordKind::Family, "F-2026-0001", 2, "anna");
        assert_eq!(human_line(&e, "10:42:07", Lang::It), "10:42:07  famiglia   F-2026-0001  rev. 2       da anna");
        assert_eq!(human_line(&e, "10:42:07", Lang::En), "10:42:07  family     F-2026-0001  rev 2        by anna");
        // A record moved by another's step comes with its own new revision, like any change.
        let moved = event(RecordKind::Need, "R-2026-0003", 4, "anna");
        assert_eq!(human_line(&moved, "10:42:07", Lang::En), "10:42:07  need       R-2026-0003  rev 4        by anna");
        let missed = human_line(&Event::Lagged, "10:42:07", Lang::En);
        assert!(missed.contains("missed"), "{missed}");
    }

    #[test]
    fn json_lines_name_the_kind_in_plain_words() {
        let e = event(RecordKind::Proposal, "P-2026-0001", 1, "anna");
        let line: serde_json::Value = serde_json::from_str(&json_line(&e, "2026-12-06T10:42:07+01:00")).unwrap();
        assert_eq!(line["kind"], "proposal");
        assert_eq!(line["code"], "P-2026-0001");
        assert_eq!(line["revision"], 1);
        assert_eq!(line["by"], "anna");
        assert_eq!(line["at"], "2026-12-06T10:42:07+01:00");
    }

    #[test]
    fn the_whole_bank_and_missed_events_keep_the_words_scripts_read() {
        let bank = Event::Bank { by: "root".into() };
        let line: serde_json::Value = serde_json::from_str(&json_line(&bank, "t")).unwrap();
        assert_eq!(
            (line["kind"].as_str(), line["code"].as_str(), line["revision"].as_u64()),
            (Some("bank"), Some("*"), Some(0))
        );
        assert_eq!(line["by"], "root");
        let missed: serde_json::Value = serde_json::from_str(&json_line(&Event::Lagged, "t")).unwrap();
        assert_eq!(missed["kind"], "lagged");
        assert_eq!(human_line(&bank, "10:42:07", Lang::It), "10:42:07  banca      *            tutta        da root");
    }

    #[test]
    fn control_characters_from_the_server_are_shown_not_acted_on() {
        let e = event(RecordKind::Family, "F-2026-0001", 2, "x\u{1b}]0;pwned\u{7}\u{202E}y\nz");
        let line = human_line(&e, "10:42:07", Lang::En);
        assert!(!line.chars().any(|c| c.is_control() || c == '\u{202E}'), "{line:?}");
        assert!(line.ends_with("by x␛]0;pwned␇�y ↵ z"), "{line:?}");
    }
}
