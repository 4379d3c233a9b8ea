use crate::tui::text::texts;
texts!(Tx { Title => "Richieste", "Needs"; });
texts!(Ftx { NewTitle => "Nuova richiesta", "New need"; });
