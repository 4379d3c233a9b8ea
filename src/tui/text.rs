//! The interface's words, each with its Italian and English text. Every
//! module declares its own with `texts!`; `catalogues()` lists them all so
//! one test checks that no key lacks a language.

use crate::i18n::Lang;

/// Declares a catalogue: an enum of keys, each with its Italian and English text.
macro_rules! texts {
    ($name:ident { $($key:ident => $it:expr, $en:expr;)* }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            pub fn get(self, lang: $crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$key, $crate::i18n::Lang::It) => $it,
                      ($name::$key, $crate::i18n::Lang::En) => $en,)*
                }
            }
        }

        impl $crate::tui::screens::Local for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                self.get(lang)
            }
        }
    };
}
pub(crate) use texts;

texts!(T {
    AppName => "banca", "banca";
    Connected => "connesso", "connected";
    Disconnected => "server non raggiungibile: riprovo…", "server unreachable: retrying…";
    Reconnected => "di nuovo connesso al server", "connected to the server again";
    Lagged => "aggiornamenti persi: ricarico", "updates missed: reloading";
    Coordinator => "coordinamento", "coordination";
    NoService => "nessun servizio", "no service";
    TooSmall => "Terminale troppo piccolo: servono almeno 80×24 caratteri.", "Terminal too small: at least 80×24 characters are needed.";
    Now => "ora", "now";
    Help => "aiuto", "help";
    HelpTitle => "Tasti", "Keys";
    HelpGlobal => "Ovunque", "Everywhere";
    HelpClose => "Esc o ? per chiudere", "Esc or ? to close";
    Quit => "esci", "quit";
    Screens => "schermate", "screens";
    Search => "cerca", "search";
    SearchTitle => "Cerca in tutta la banca", "Search the whole bank";
    SearchPrompt => "Codice, cognome, comune, servizio… (filtri: kind: stato: servizio: comune:)", "Code, surname, comune, service… (filters: kind: status: service: comune:)";
    SearchNone => "nessun risultato", "no results";
    SearchMore => "risultati, mostrati i primi", "results, showing the first";
    Open => "apri", "open";
    Back => "indietro", "back";
    Move => "muovi", "move";
    Page => "pagina", "page";
    FirstLast => "inizio/fine", "first/last";
    Pane => "riquadro", "pane";
    New => "nuovo", "new";
    NotForRole => "non consentito al tuo ruolo", "not allowed for your role";
    Edit => "modifica", "edit";
    Reload => "ricarica", "reload";
    Filter => "filtra", "filter";
    Sort => "ordina", "sort";
    Loading => "caricamento…", "loading…";
    LoadingMore => "altre in caricamento…", "loading more…";
    Empty => "nessun elemento", "nothing here";
    Unsaved => "Modifiche non salvate: uscire comunque? (s/n)", "Unsaved changes: leave anyway? (y/n)";
    QuitUnsaved => "Ci sono modifiche non salvate: uscire comunque? (s/n)", "There are unsaved changes: quit anyway? (y/n)";
    NewProposal => "Nuova proposta in arrivo:", "New proposal in your inbox:";
    ProposalAccepted => "Proposta accettata:", "Proposal accepted:";
    ProposalDeclined => "Proposta rifiutata:", "Proposal declined:";
    ProposalWithdrawn => "Proposta ritirata:", "Proposal withdrawn:";
    Saved => "Salvato:", "Saved:";
    NotFound => "non trovato", "not found";
    Yes => "s", "y";
});

/// Every catalogue of the interface, as (catalogue, key, Italian, English).
pub fn catalogues() -> Vec<(&'static str, String, &'static str, &'static str)> {
    let mut all = Vec::new();
    macro_rules! add {
        ($($t:path),* $(,)?) => {$(
            for k in <$t>::ALL {
                all.push((stringify!($t), format!("{k:?}"), k.get(Lang::It), k.get(Lang::En)));
            }
        )*};
    }
    add!(
        T,
        super::screens::families::Tx,
        super::screens::matching::Tx,
        super::screens::proposals::Tx,
        super::screens::placements::Tx,
        super::widgets::prompt::Tx,
        super::widgets::placement_forms::Sx,
        super::screens::families::Ftx,
        super::screens::needs::Tx,
        super::screens::needs::Ftx,
        super::screens::record::Rx,
        super::widgets::form::Fx,
        super::screens::dashboard::Tx,
        super::screens::services::Tx,
        super::screens::audit::Tx,
    );
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_key_has_an_italian_and_an_english_text() {
        let all = catalogues();
        assert!(all.len() > 40);
        for (cat, key, it, en) in all {
            assert!(!it.trim().is_empty(), "{cat}::{key} has no Italian text");
            assert!(!en.trim().is_empty(), "{cat}::{key} has no English text");
        }
    }
}
