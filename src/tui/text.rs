//! The interface's words, each with its Italian and English text. Every
//! module declares its own with `texts!` (the one catalogue mechanism,
//! `i18n::catalogue!`, plus the screens' `Local` trait); `CATALOGUES`
//! lists them all for the completeness test (`i18n::catalogue`).

use crate::i18n::Catalogue;

/// Declares a catalogue of the interface: `i18n::catalogue!`, readable
/// through the screens' `Local` trait.
macro_rules! texts {
    ($name:ident { $($body:tt)* }) => {
        $crate::i18n::catalogue!($name { $($body)* });

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
    WithdrawnNoPlace => "La proposta {code} è stata ritirata: {cause}", "Proposal {code} was withdrawn: {cause}";
    PlacementStarted => "Affido avviato dalla proposta:", "Placement started from proposal:";
    PlacementClosed => "Affido chiuso:", "Placement closed:";
    Saved => "Salvato:", "Saved:";
    NotFound => "non trovato", "not found";
    Yes => "s", "y";
    LostWhileSaving => "La connessione al server si è interrotta durante il salvataggio: non è noto se sia stato salvato. Ricaricare la scheda prima di ripetere.",
        "The connection to the server broke while saving: whether it was saved is unknown. Reload the record before repeating.";
});

/// Every catalogue of the interface.
pub const CATALOGUES: &[Catalogue] = &[
    T::CATALOGUE,
    super::screens::Titles::CATALOGUE,
    super::screens::families::Tx::CATALOGUE,
    super::screens::families::Ptx::CATALOGUE,
    super::screens::pathway_forms::Wx::CATALOGUE,
    super::screens::events::Ex::CATALOGUE,
    super::screens::mappatura::Mx::CATALOGUE,
    super::screens::statistics::Sx::CATALOGUE,
    super::screens::matching::Tx::CATALOGUE,
    super::screens::proposals::Tx::CATALOGUE,
    super::screens::placements::Tx::CATALOGUE,
    super::widgets::prompt::Tx::CATALOGUE,
    super::widgets::line_editor::Lx::CATALOGUE,
    super::widgets::placement_forms::Sx::CATALOGUE,
    super::screens::families::Ftx::CATALOGUE,
    super::screens::families::Qtx::CATALOGUE,
    super::screens::profile::Ptx::CATALOGUE,
    super::screens::needs::Tx::CATALOGUE,
    super::screens::needs::Ftx::CATALOGUE,
    super::screens::record::Rx::CATALOGUE,
    super::widgets::form::Fx::CATALOGUE,
    super::screens::dashboard::Tx::CATALOGUE,
    super::screens::services::Tx::CATALOGUE,
    super::screens::services::Ftx::CATALOGUE,
    super::screens::audit::Tx::CATALOGUE,
];
