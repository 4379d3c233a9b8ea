//! What travels on the socket between a client and the server.
//!
//! A frame is a 4-byte big-endian length then a bincode body; the length
//! is checked against a cap before anything is allocated. The first frame
//! each way is a handshake naming the protocol, the binary's version and
//! the bank; then the client sends calls and the server sends replies and,
//! to subscribers, events.

use std::io::{self, Read, Write};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::api::{BankError, Event, Request, Response};

/// Bumped whenever a type below (or the Request/Response it carries) changes shape.
/// 2: `Init { admin }`, `EmergencyRead`, `ServerUserOnly`, the family view's private part.
/// 3: typed events, `Welcome::Busy`, `ServerMsg::Subscription`, a 4 KiB hello.
/// 4: lists by pages (`Cursor`, `Page`), `Busy`, `Doctor`, quarantine, disk
/// full and failed writes, streamed import bytes, bounds' new reasons.
/// 5: the wire's own types (`api`): events as `Event::{Changed, Bank,
/// Lagged}` with a `RecordKind`, audit entries without their hashes,
/// `AuditVerified.hash_segments`, `Count`, `ProposalView`, `free_places`.
/// 6: `Reason::AgeOutsideKind { age_months }`, `ProposalStep.cause`, fields
/// typed on the wire as their paths, `NeedShared` (a list row without the identity).
/// 7: asking by profile (`Request::Available`, `Reply::ProfileMatches`),
/// `FamilyFilter`'s phone-call filters and `FamilyView.distance_m`, `Fit`,
/// time slots and availability period, `LegalBasis::Art403`, the on-call
/// contact, `NeedView.overdue`, `StepCause::NoPlaceLeft`, the new reasons
/// (`Reason::TooManyWords` among them).
/// 8: the family's pathway (`FamilyEnquiry`, `FamilyStep`, `FamilySupport`,
/// `FamilyView.pathway` and `.support`, `SharedProfile.availability_known`),
/// the network's events (`Event*`, `RecordKind::Event`), `Due`,
/// `Recruitment`, placements' follow-up (review kinds, `PlacementExtend`,
/// `PlacementCourtReport`), `Fact::Experience.groups`, the pathway's reasons.
/// 9: reception services (`ServiceInput.reception`, `Service.vacancy`,
/// `VacancyDeclare`, `ProposeService`, `Places`, `Directory`,
/// `MatchNeed.hosts`, `NeedRanking.services`, a proposal's or placement's
/// optional family, `Role::Reception`, their exclusions, fact and reasons).
pub const PROTOCOL: u32 = 10;

/// The binary's version, shown when client and server disagree.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// No frame from a client may be larger: checked before allocating. The
/// largest a client sends is an import chunk (`CHUNK_BYTES`) or a record at
/// every limit (under 1 MiB, `model::limits`); the server reserves room for
/// decoding each frame (`server::frame_budget`), so the cap also bounds that.
pub const MAX_FRAME: usize = 2 << 20;

/// The hello is the only frame read from a client not yet known: it is tiny.
pub const MAX_HELLO: usize = 4 << 10;

/// Frames from the server may be larger (a page of a list is about 1 MiB
/// at most, an export chunk 1 MiB), but not unbounded: a client refuses
/// garbage too.
pub const MAX_SERVER_FRAME: usize = 256 << 20;

/// Export lines and import bytes travel in chunks of about this many bytes.
pub const CHUNK_BYTES: usize = 1 << 20;

/// Export chunks sent ahead and not yet written to the socket: the server
/// reads its spooled export no faster than the client takes it.
pub const EXPORT_CHUNKS_IN_FLIGHT: usize = 2;

/// Reads whole lines (without their newline) from `r` until about
/// `CHUNK_BYTES` are gathered; an empty vector at the end.
pub fn read_line_chunk(r: &mut impl io::BufRead) -> io::Result<Vec<String>> {
    let mut chunk = Vec::new();
    let mut bytes = 0;
    let mut line = Vec::new();
    while bytes < CHUNK_BYTES {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        bytes += line.len() + 8;
        chunk.push(
            String::from_utf8(std::mem::take(&mut line)).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?,
        );
    }
    Ok(chunk)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: u32,
    pub version: String,
    /// The canonical path of the bank the client wants.
    pub bank: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Welcome {
    /// Go ahead. `user` is who the kernel says the client is.
    Ok { version: String, user: String },
    /// Client and server speak different protocols.
    Mismatch { protocol: u32, version: String },
    /// This server serves another bank.
    OtherBank { bank: String },
    /// The kernel names no user for the client's uid.
    NoUser { uid: u32 },
    /// Too many connections open; this one is closed at once.
    Busy { scope: BusyScope },
}

/// Whose connections reached their cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BusyScope {
    /// The caller's own Unix user has `limit` connections open.
    User { limit: u32 },
    /// The server has `limit` connections open, from everyone.
    Server { limit: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMsg {
    Call {
        id: u64,
        request: Box<Request>,
    },
    /// Bytes of an import file, cut anywhere, sent ahead of `Request::Import`
    /// (whose lines then come last). The server restores them as they come.
    ImportBytes {
        bytes: Vec<u8>,
    },
    /// Ask for an `Event` after every committed change the caller may see;
    /// answered by `Subscription`.
    Subscribe,
    /// Stop the server (its owner or an administrator).
    Stop,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerMsg {
    Reply {
        id: u64,
        response: Box<Response>,
    },
    /// Lines of an export sent ahead of its `Reply` (which then carries the last ones).
    ExportLines {
        id: u64,
        lines: Vec<String>,
    },
    /// The answer to `Subscribe`: only an active operator may subscribe.
    Subscription(Result<(), BankError>),
    Event(Event),
    /// Events were dropped because this client read too slowly: resync.
    Lagged,
    /// The answer to `Stop`.
    Stopping {
        accepted: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("connection closed")]
    Closed,
    #[error("frame of {len} bytes is over the {cap}-byte limit")]
    TooLarge { len: usize, cap: usize },
    #[error("frame does not decode: {0}")]
    Garbled(String),
    /// The server had no room to read a frame this large in time: too many
    /// frames being read at once.
    #[error("no room to read a frame of {len} bytes: the server is overloaded")]
    NoRoom { len: usize },
    #[error(transparent)]
    Io(#[from] io::Error),
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

pub fn write_frame<T: Serialize>(w: &mut impl Write, value: &T, cap: usize) -> Result<(), FrameError> {
    let body = bincode::serde::encode_to_vec(value, config()).map_err(|e| FrameError::Garbled(e.to_string()))?;
    if body.len() > cap {
        return Err(FrameError::TooLarge { len: body.len(), cap });
    }
    let mut frame = Vec::with_capacity(4 + body.len());
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(&body);
    w.write_all(&frame)?;
    w.flush()?;
    Ok(())
}

/// Reads one frame, refusing a length over `cap` before allocating.
/// Decodes a frame's body. bincode lets a string or container claim up to a
/// limit fixed at compile time before it reads its bytes: the limit is the
/// smallest tier of 64 times the body, so a hello of a few bytes can never
/// make the server allocate megabytes (a fuzzer found 4 MiB from 27 bytes).
fn decode_body<T: DeserializeOwned>(body: &[u8]) -> Result<(T, usize), bincode::error::DecodeError> {
    use bincode::serde::decode_from_slice as decode;
    let c = config();
    match body.len() {
        n if n <= 16 << 10 => decode(body, c.with_limit::<{ 1 << 20 }>()),
        n if n <= 64 << 10 => decode(body, c.with_limit::<{ 4 << 20 }>()),
        n if n <= 256 << 10 => decode(body, c.with_limit::<{ 16 << 20 }>()),
        n if n <= 1 << 20 => decode(body, c.with_limit::<{ 64 << 20 }>()),
        _ => decode(body, c.with_limit::<MAX_SERVER_FRAME>()),
    }
}

pub fn read_frame<T: DeserializeOwned>(r: &mut impl Read, cap: usize) -> Result<T, FrameError> {
    read_frame_reserving(r, cap, |_| Ok(())).map(|(value, ())| value)
}

/// As [`read_frame`], calling `reserve` with the body's length once it is
/// known and within `cap`, before the body is read or decoded: what it
/// gives (room in a budget) comes back with the value, to be held while
/// the value lives.
pub fn read_frame_reserving<T: DeserializeOwned, R>(
    r: &mut impl Read,
    cap: usize,
    reserve: impl FnOnce(usize) -> Result<R, FrameError>,
) -> Result<(T, R), FrameError> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(e.into()),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > cap {
        return Err(FrameError::TooLarge { len, cap });
    }
    let reserved = reserve(len)?;
    // Memory follows the bytes that arrive, not the length a peer claims:
    // a header announcing megabytes then silence costs nothing.
    let mut body = Vec::with_capacity(len.min(64 << 10));
    r.take(len as u64).read_to_end(&mut body)?;
    if body.len() < len {
        return Err(FrameError::Garbled("truncated frame".into()));
    }
    let (value, used) = decode_body(&body).map_err(|e| FrameError::Garbled(e.to_string()))?;
    if used != len {
        return Err(FrameError::Garbled(format!("{} bytes left over", len - used)));
    }
    Ok((value, reserved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_refuse_oversized_or_truncated_input() {
        let mut buf = Vec::new();
        let hello = Hello { protocol: PROTOCOL, version: VERSION.into(), bank: "/b".into() };
        write_frame(&mut buf, &hello, MAX_FRAME).unwrap();
        assert_eq!(read_frame::<Hello>(&mut buf.as_slice(), MAX_FRAME).unwrap(), hello);

        let huge = (u32::MAX).to_be_bytes();
        assert!(matches!(read_frame::<Hello>(&mut huge.as_slice(), MAX_FRAME), Err(FrameError::TooLarge { .. })));
        assert!(matches!(read_frame::<Hello>(&mut &buf[..buf.len() - 1], MAX_FRAME), Err(FrameError::Garbled(_))));
        assert!(matches!(read_frame::<Hello>(&mut &[][..], MAX_FRAME), Err(FrameError::Closed)));
        let mut junk = 5u32.to_be_bytes().to_vec();
        junk.extend_from_slice(&[0xff; 5]);
        assert!(matches!(read_frame::<Hello>(&mut junk.as_slice(), MAX_FRAME), Err(FrameError::Garbled(_))));
    }

    #[test]
    fn a_spooled_export_is_read_back_in_chunks_of_whole_lines() {
        let lines: Vec<String> = (0..5000).map(|i| format!("{i:0>600}")).collect();
        let file: Vec<u8> = lines.iter().flat_map(|l| format!("{l}\n").into_bytes()).collect();
        let mut reader = std::io::BufReader::new(file.as_slice());
        let mut chunks = Vec::new();
        loop {
            let chunk = read_line_chunk(&mut reader).unwrap();
            if chunk.is_empty() {
                break;
            }
            chunks.push(chunk);
        }
        assert!(chunks.len() > 1);
        assert!(chunks.iter().all(|c| c.iter().map(|l| l.len()).sum::<usize>() <= CHUNK_BYTES));
        assert_eq!(chunks.concat(), lines);
    }
}
