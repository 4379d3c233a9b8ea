//! Log lines that cannot be forged, for the server's log and the
//! interface's alike: every formatted event passes through `Escaping` on
//! its way to the file or the journal, so a text that came
//! from a client (a version string, an error quoting input, a name) can
//! neither end the line early nor steer the terminal of whoever reads the
//! log. Values from clients are also quoted where they are logged
//! (`plain::log_escape`), so they cannot pose as another `key=value` field.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;

use crate::model::plain;

/// Wraps a `MakeWriter`: each event's line neutralised, its final line break kept.
pub struct EscapingWriter<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for EscapingWriter<M> {
    type Writer = Escaping<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Escaping(self.0.make_writer())
    }
}

/// One event's bytes: tracing's formatter writes each event whole, in one call.
pub struct Escaping<W>(W);

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let (body, end) = match text.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (text.as_ref(), ""),
        };
        let line = format!("{}{end}", plain::neutralise(body));
        self.0.write_all(line.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_client_text_cannot_forge_a_log_line_or_steer_a_terminal() {
        let captured = Captured::default();
        let sink = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_target(false)
            .without_time()
            .with_writer(EscapingWriter(move || sink.clone()))
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let version = "0.1.0\nERROR banca: disk full user=root\u{1b}]0;pwned\u{7}";
            tracing::info!(user = "anna", client = %plain::log_escape(version), "client connected");
            tracing::warn!("connection closed: {}", "bad\r\nframe \u{202E}x");
        });
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines[0],
            r#" INFO client connected user="anna" client="0.1.0 ↵ ERROR banca: disk full user=root␛]0;pwned␇""#
        );
        assert_eq!(lines[1], " WARN connection closed: bad ↵ frame \u{FFFD}x");
    }
}
