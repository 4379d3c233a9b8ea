//! A document: what a view says, as blocks (a title, label → value rows,
//! lines, paragraphs, tables) of spans that carry what they mean (strong,
//! dim, ok, warning, danger, matched), not how they look. The CLI prints
//! it, the TUI draws it; neither has to guess which line is a title.
//!
//! Text is kept as the record holds it: a printer or a drawer neutralises
//! control characters as it writes (hostile text is ordinary input).

/// What a span means to the reader; the printer or drawer picks the look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    /// Stands out: a code, a heading's words.
    Strong,
    /// Secondary: who changed it and when, separators.
    Dim,
    /// In favour: a criterion that raised a score.
    Ok,
    /// Needs attention: an availability to confirm again, a criterion that lowered a score.
    Warning,
    /// Something went wrong or is refused.
    Danger,
    /// The characters a search matched.
    Matched,
}

/// A run of text with one tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span { text: text.into(), tone: Tone::Plain }
    }

    pub fn new(text: impl Into<String>, tone: Tone) -> Span {
        Span { text: text.into(), tone }
    }
}

/// One label → value row of a `Block::Fields`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub value: Vec<Span>,
    /// The value's own line breaks are kept (notes); otherwise it is one line.
    pub multiline: bool,
}

/// One part of a document, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The record's head line: its code and where it stands.
    Title(Vec<Span>),
    /// A section's name, `indent` columns in.
    Heading { text: String, indent: u16 },
    /// An empty line between sections.
    Blank,
    /// Label → value rows with the values aligned in one column;
    /// `wrap`: a long value continues under itself rather than running on.
    Fields { indent: u16, wrap: bool, rows: Vec<Field> },
    /// One line; when too long it continues `hang` columns in (else under its start).
    Line { indent: u16, hang: Option<u16>, spans: Vec<Span> },
    /// Parts joined by " · ", going on to a new line `next` columns in
    /// rather than past the width.
    Flow { first: u16, next: u16, parts: Vec<Span> },
    /// Free text (a note) word-wrapped, every line `indent` columns in.
    Text { indent: u16, text: String },
    /// Columns with a header.
    Table { header: Vec<String>, rows: Vec<Vec<String>> },
}

/// A whole view, as blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub blocks: Vec<Block>,
}

impl Doc {
    pub fn new() -> Doc {
        Doc::default()
    }

    pub fn push(&mut self, block: Block) -> &mut Doc {
        self.blocks.push(block);
        self
    }

    pub fn title(&mut self, spans: Vec<Span>) -> &mut Doc {
        self.push(Block::Title(spans))
    }

    pub fn heading(&mut self, text: impl Into<String>) -> &mut Doc {
        self.push(Block::Heading { text: text.into(), indent: 0 })
    }

    pub fn blank(&mut self) -> &mut Doc {
        self.push(Block::Blank)
    }

    /// A line of one span, `indent` columns in.
    pub fn line(&mut self, indent: u16, span: Span) -> &mut Doc {
        self.push(Block::Line { indent, hang: None, spans: vec![span] })
    }

    pub fn fields(&mut self, fields: Fields) -> &mut Doc {
        if !fields.rows.is_empty() {
            self.push(Block::Fields { indent: fields.indent, wrap: fields.wrap, rows: fields.rows });
        }
        self
    }

    pub fn text(&mut self, indent: u16, text: impl Into<String>) -> &mut Doc {
        self.push(Block::Text { indent, text: text.into() })
    }

    pub fn extend(&mut self, other: Doc) -> &mut Doc {
        self.blocks.extend(other.blocks);
        self
    }

    /// Every heading, label and span's text, in order: what a reader sees.
    pub fn words(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Title(s) | Block::Line { spans: s, .. } | Block::Flow { parts: s, .. } => {
                    out.extend(s.iter().map(|x| x.text.as_str()))
                }
                Block::Heading { text, .. } | Block::Text { text, .. } => out.push(text),
                Block::Blank => {}
                Block::Fields { rows, .. } => {
                    for r in rows {
                        out.push(&r.label);
                        out.extend(r.value.iter().map(|x| x.text.as_str()));
                    }
                }
                Block::Table { header, rows } => {
                    out.extend(header.iter().map(String::as_str));
                    for r in rows {
                        out.extend(r.iter().map(String::as_str));
                    }
                }
            }
        }
        out
    }
}

/// Builds a `Block::Fields`; a row whose value is empty is left out.
#[derive(Debug, Default)]
pub struct Fields {
    indent: u16,
    wrap: bool,
    rows: Vec<Field>,
}

impl Fields {
    /// Rows `indent` columns in, each value on one line.
    pub fn new(indent: u16) -> Fields {
        Fields { indent, wrap: false, rows: Vec::new() }
    }

    /// Rows `indent` columns in whose long values continue under themselves.
    pub fn wrapped(indent: u16) -> Fields {
        Fields { indent, wrap: true, rows: Vec::new() }
    }

    /// A one-line value.
    pub fn add(&mut self, label: &str, value: impl Into<String>) {
        self.add_spans(label, vec![Span::plain(value)]);
    }

    /// A value of several spans (a date and a warning beside it).
    pub fn add_spans(&mut self, label: &str, value: Vec<Span>) {
        if value.iter().any(|s| !s.text.trim().is_empty()) {
            self.rows.push(Field { label: label.to_string(), value, multiline: false });
        }
    }

    /// A value whose lines are kept (notes).
    pub fn add_lines(&mut self, label: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.rows.push(Field { label: label.to_string(), value: vec![Span::plain(value)], multiline: true });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
