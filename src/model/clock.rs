//! Where "now" comes from, for the core and for a client that needs today
//! (a form's default date): the system's local time, or a fixed instant in tests.

use time::{OffsetDateTime, UtcOffset};

/// Where "now" comes from: the system, or a fixed instant in tests.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The system clock in the local time of the machine (Italy's, on the
/// server), daylight saving included. The offset is looked up at every
/// reading through chrono, which reads the zone database itself: `time`'s
/// own lookup is refused in a multi-threaded process, and one taken at
/// start-up would be an hour off after the clocks change.
#[derive(Default)]
pub struct SystemClock;

impl SystemClock {
    pub fn new() -> SystemClock {
        SystemClock
    }
}

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        use chrono::Offset;
        let seconds = chrono::Local::now().offset().fix().local_minus_utc();
        let offset = UtcOffset::from_whole_seconds(seconds).unwrap_or(UtcOffset::UTC);
        OffsetDateTime::now_utc().to_offset(offset)
    }
}

pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}
