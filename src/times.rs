//! Times as the format defines them: an offset date-time, a local date-time read
//! in the site's time zone, or a bare date whose hour is unknown. A [`Moment`]
//! remembers the precision it was given at, so pages never show an hour nobody
//! reported and durations between entries are worded no finer than the times
//! allow ("the next day", "13 hours later", "about 3 years later").

use std::sync::LazyLock;

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone, TimeZoneDatabase};
use jiff::{Timestamp, ZonedDateTime as Zoned};

/// The tz database compiled into backtrack: a site builds the same on every
/// machine, and no system zoneinfo folder is read.
static TZDB: LazyLock<TimeZoneDatabase> = LazyLock::new(TimeZoneDatabase::bundled);

/// The IANA time zone called `name`, from the bundled database.
pub fn time_zone(name: &str) -> Option<TimeZone> {
    TZDB.get(name).ok()
}

/// How precisely a moment is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the day is known.
    Day,
    /// The time of day is known.
    Time,
}

/// A point in time at the precision an author gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    /// The instant, for ordering. A bare date stands for the start of its day.
    pub instant: Timestamp,
    /// The zone it is shown in (the site's, or its own offset). The instant
    /// is placed in it when a page shows the moment, not kept placed: a
    /// site of 100,000 stories holds about a million moments.
    zone: TimeZone,
    precision: Precision,
    approximate: bool,
}

/// Every way a page shows a moment, each formatted once (templates see it
/// as a time: `machine`, `human`, `date`, `clock`, `precision`,
/// `approximate`, `rfc3339`).
#[derive(serde::Serialize)]
pub struct Written {
    /// For `<time datetime>`: RFC 3339, or a bare date.
    pub machine: String,
    /// "about July 9, 2017, 7:50 a.m. EDT".
    pub human: String,
    /// "July 9, 2017".
    pub date: String,
    /// "7:50 a.m. EDT", or none for a bare date.
    pub clock: Option<String>,
    /// Day or time of day.
    pub precision: Precision,
    /// Marked as rough.
    pub approximate: bool,
    /// RFC 3339 always (feeds, sitemaps).
    pub rfc3339: String,
}

impl From<&Moment> for Written {
    fn from(moment: &Moment) -> Self {
        moment.written()
    }
}

impl Moment {
    /// Reads a TOML date-time value. `site_tz` is the site's `timezone`, if set:
    /// it places local times and is the zone every time is shown in. A local
    /// time the zone skips (spring forward) or repeats (fall back) is refused:
    /// a time on the record is never guessed.
    pub fn from_toml(
        value: &toml::value::Datetime,
        site_tz: Option<&TimeZone>,
        approximate: bool,
    ) -> Result<Moment, TimeError> {
        let date = value.date.ok_or_else(|| {
            TimeError::new("a time of day alone is not a date; give a date or a date-time")
        })?;
        let date = Date::new(date.year as i16, date.month as i8, date.day as i8)
            .map_err(|_| TimeError::new(format!("{value} is not a real date")))?;
        let Some(time) = value.time else {
            let zone = site_tz.cloned().unwrap_or(TimeZone::UTC);
            let shown = date
                .to_zoned_datetime(zone)
                .map_err(|e| TimeError::new(format!("cannot place {value}: {e}")))?;
            return Ok(Moment::new(shown, Precision::Day, approximate));
        };
        let time = jiff::civil::Time::new(
            time.hour as i8,
            time.minute as i8,
            time.second.unwrap_or(0) as i8,
            time.nanosecond.unwrap_or(0) as i32,
        )
        .map_err(|_| TimeError::new(format!("{value} is not a real time")))?;
        let civil = DateTime::from_parts(date, time);
        let cannot_place = |e: jiff::Error| TimeError::new(format!("cannot place {value}: {e}"));
        let instant = match value.offset {
            Some(toml::value::Offset::Z) => civil
                .to_zoned_datetime(TimeZone::UTC)
                .map_err(cannot_place)?,
            Some(toml::value::Offset::Custom { minutes }) => {
                let offset = Offset::from_seconds(i32::from(minutes) * 60).map_err(cannot_place)?;
                civil
                    .to_zoned_datetime(TimeZone::fixed(offset))
                    .map_err(cannot_place)?
            }
            None => match site_tz {
                Some(zone) => local_in(value, civil, zone)?,
                None => {
                    return Err(TimeError::new(format!(
                        "{value} has no UTC offset and site.toml sets no `timezone` to read it in"
                    ))
                    .with_help(
                        "add an offset (2017-07-09T20:45:00-04:00) or set `timezone` in site.toml",
                    ));
                }
            },
        };
        let shown = match site_tz {
            Some(zone) => instant.with_time_zone(zone.clone()),
            None => instant,
        };
        Ok(Moment::new(shown, Precision::Time, approximate))
    }

    fn new(shown: Zoned, precision: Precision, approximate: bool) -> Moment {
        Moment {
            instant: shown.timestamp(),
            zone: shown.time_zone().clone(),
            precision,
            approximate,
        }
    }

    /// The instant in the zone it is shown in.
    fn shown(&self) -> Zoned {
        self.instant.to_zoned_datetime(self.zone.clone())
    }

    /// Day or time of day.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The author marked the time as rough (`approximate = true`).
    pub fn approximate(&self) -> bool {
        self.approximate
    }

    /// The value for `<time datetime="...">`: RFC 3339 or a bare date.
    pub fn machine(&self) -> String {
        match self.precision {
            Precision::Day => written::bare_date(&self.shown()),
            Precision::Time => self.rfc3339(),
        }
    }

    /// RFC 3339 always, for feeds and sitemaps (a bare date at its start of day).
    pub fn rfc3339(&self) -> String {
        written::rfc3339(&self.shown())
    }

    /// For people: "July 9, 2017" or "July 9, 2017, 7:50 a.m. EDT", with
    /// "about" in front when approximate.
    pub fn human(&self) -> String {
        self.written().human
    }

    /// Every form at once, each formatted once (a page shows several).
    pub fn written(&self) -> Written {
        let shown = self.shown();
        let rfc3339 = written::rfc3339(&shown);
        let date = written::long_date(&shown);
        let about = if self.approximate { "about " } else { "" };
        let (machine, clock, human) = match self.precision {
            Precision::Day => (written::bare_date(&shown), None, [about, &date].concat()),
            Precision::Time => {
                let clock = written::clock(&shown);
                let human = [about, &date, ", ", &clock].concat();
                (rfc3339.clone(), Some(clock), human)
            }
        };
        Written {
            machine,
            rfc3339,
            date,
            clock,
            human,
            precision: self.precision,
            approximate: self.approximate,
        }
    }
}

/// Why a TOML date-time cannot be a [`Moment`], and the fix where it is plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl TimeError {
    fn new(message: impl Into<String>) -> Self {
        TimeError {
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The local date-time `civil` (written as `value`) placed in `zone`, when
/// it names exactly one instant there. In the hour a zone skips or repeats
/// it names none or two, and the author must say which with an offset: the
/// help gives both readings.
fn local_in(
    value: &toml::value::Datetime,
    civil: DateTime,
    zone: &TimeZone,
) -> Result<Zoned, TimeError> {
    let zone_name = zone.iana_name().unwrap_or("the site's time zone");
    // "2024-03-10T02:30:00-05:00 (3:30 a.m. EDT)": what the author could
    // write, and the clock it shows as.
    let reading = |offset: Offset| -> String {
        let minutes = offset.seconds() / 60;
        let sign = if minutes < 0 { '-' } else { '+' };
        let written = format!(
            "{value}{sign}{:02}:{:02}",
            minutes.abs() / 60,
            minutes.abs() % 60
        );
        match offset.to_timestamp(civil) {
            Ok(instant) => {
                let shown = instant.to_zoned_datetime(zone.clone());
                format!("{written} ({})", written::clock(&shown))
            }
            Err(_) => written,
        }
    };
    match zone.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { .. } => civil
            .to_zoned_datetime(zone.clone())
            .map_err(|e| TimeError::new(format!("cannot place {value}: {e}"))),
        AmbiguousOffset::Gap { before, after } => Err(TimeError::new(format!(
            "{value} does not exist in {zone_name}: the clocks skipped that hour"
        ))
        .with_help(format!(
            "write the offset you mean: {} or {}",
            reading(before),
            reading(after)
        ))),
        AmbiguousOffset::Fold { before, after } => Err(TimeError::new(format!(
            "{value} happens twice in {zone_name}: the clocks went back over that hour"
        ))
        .with_help(format!(
            "write the offset you mean: {} is the first, {} the second",
            reading(before),
            reading(after)
        ))),
    }
}

/// The written forms of a time, all by jiff: RFC 3339 and bare dates by its
/// Temporal printer, the English long date and clock by `strftime`.
mod written {
    use jiff::ZonedDateTime as Zoned;
    use jiff::fmt::temporal::DateTimePrinter;

    /// Whole seconds, and offsets rounded to the minute as RFC 3339 wants.
    static PRINTER: DateTimePrinter = DateTimePrinter::new().precision(Some(0));

    /// "2017-07-09T07:50:00-04:00".
    pub(super) fn rfc3339(shown: &Zoned) -> String {
        let mut out = String::with_capacity(25);
        PRINTER
            .print_timestamp_with_offset(&shown.timestamp(), shown.offset(), &mut out)
            .expect("writing to a String cannot fail");
        out
    }

    /// "2017-07-09".
    pub(super) fn bare_date(shown: &Zoned) -> String {
        shown.date().to_string()
    }

    /// "July 9, 2017".
    pub(super) fn long_date(shown: &Zoned) -> String {
        shown.strftime("%B %-d, %Y").to_string()
    }

    /// "7:50 a.m. EDT" (or "7:50 a.m. UTC-04:00" where the zone has no
    /// abbreviation): the newsroom's "a.m." is not among strftime's forms.
    pub(super) fn clock(shown: &Zoned) -> String {
        let named = shown.time_zone().iana_name().is_some();
        let format = match (shown.hour() < 12, named) {
            (true, true) => "%-I:%M a.m. %Z",
            (false, true) => "%-I:%M p.m. %Z",
            (true, false) => "%-I:%M a.m. UTC%:z",
            (false, false) => "%-I:%M p.m. UTC%:z",
        };
        shown.strftime(format).to_string()
    }
}

/// How long after `earlier` the moment `later` came, in words, at the
/// coarser of the two precisions: "13 hours later", "the next day".
pub fn gap_in_words(earlier: &Moment, later: &Moment) -> String {
    let about = if earlier.approximate || later.approximate {
        "about "
    } else {
        ""
    };
    let coarse = earlier.precision == Precision::Day || later.precision == Precision::Day;
    let words = if coarse {
        let days = later
            .shown()
            .date()
            .since(earlier.shown().date())
            .map(|span| span.get_days())
            .unwrap_or(0);
        days_in_words(i64::from(days), about.is_empty())
    } else {
        let seconds = later.instant.as_second() - earlier.instant.as_second();
        seconds_in_words(seconds)
    };
    format!("{about}{words}")
}

fn seconds_in_words(seconds: i64) -> String {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let rounded = |unit: i64| (seconds + unit / 2) / unit;
    if seconds < MINUTE {
        "moments later".to_owned()
    } else if seconds < HOUR {
        count_later(rounded(MINUTE), "minute", "a minute")
    } else if seconds < 36 * HOUR {
        count_later(rounded(HOUR), "hour", "an hour")
    } else {
        days_in_words(rounded(DAY), false)
    }
}

fn days_in_words(days: i64, calendar: bool) -> String {
    const MONTH: f64 = 30.436_875;
    match days {
        ..=0 => "the same day".to_owned(),
        1 if calendar => "the next day".to_owned(),
        1..60 => count_later(days, "day", "a day"),
        60..730 => count_later((days as f64 / MONTH).round() as i64, "month", "a month"),
        _ => count_later(
            (days as f64 / (12.0 * MONTH)).round() as i64,
            "year",
            "a year",
        ),
    }
}

fn count_later(n: i64, unit: &str, one: &str) -> String {
    if n == 1 {
        format!("{one} later")
    } else {
        format!("{n} {unit}s later")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Moment {
        let value: toml::value::Datetime = text.parse().expect("test datetime");
        Moment::from_toml(&value, None, false).expect("test moment")
    }

    #[test]
    fn the_cyber_unit_walk_back_is_thirteen_hours() {
        let proposal = at("2017-07-09T07:50:00-04:00");
        let walk_back = at("2017-07-09T20:45:00-04:00");
        assert_eq!(gap_in_words(&proposal, &walk_back), "13 hours later");
    }

    #[test]
    fn gaps_are_worded_at_the_coarser_precision() {
        assert_eq!(
            gap_in_words(&at("2016-06-09"), &at("2017-07-08")),
            "13 months later"
        );
        assert_eq!(
            gap_in_words(&at("2017-07-08"), &at("2017-07-09T10:00:00Z")),
            "the next day"
        );
        assert_eq!(
            gap_in_words(&at("2017-07-08"), &at("2017-07-12")),
            "4 days later"
        );
        assert_eq!(
            gap_in_words(&at("2017-07-08T10:00:00Z"), &at("2017-07-10T02:00:00Z")),
            "2 days later"
        );
        assert_eq!(
            gap_in_words(&at("2017-07-08T10:00:00Z"), &at("2017-07-08T10:20:00Z")),
            "20 minutes later"
        );
        assert_eq!(
            gap_in_words(&at("2017-07-08T10:00:00Z"), &at("2017-07-08T10:00:30Z")),
            "moments later"
        );
        assert_eq!(
            gap_in_words(&at("2014-01-01"), &at("2017-02-01")),
            "3 years later"
        );
    }

    #[test]
    fn approximate_times_say_about() {
        let value: toml::value::Datetime = "2014-03-01".parse().expect("test datetime");
        let rough = Moment::from_toml(&value, None, true).expect("test moment");
        assert_eq!(
            gap_in_words(&rough, &at("2017-03-01")),
            "about 3 years later"
        );
        assert_eq!(rough.human(), "about March 1, 2014");
    }

    #[test]
    fn local_times_need_a_zone_and_use_it() {
        let value: toml::value::Datetime = "2017-07-09T20:45:00".parse().expect("datetime");
        assert!(Moment::from_toml(&value, None, false).is_err());
        let ny = time_zone("America/New_York").expect("bundled tzdb");
        let moment = Moment::from_toml(&value, Some(&ny), false).expect("placed");
        assert_eq!(moment.machine(), "2017-07-09T20:45:00-04:00");
        assert_eq!(moment.human(), "July 9, 2017, 8:45 p.m. EDT");
    }

    #[test]
    fn offsets_are_kept_when_no_zone_is_set() {
        assert_eq!(
            at("2017-07-09T07:50:00-04:00").human(),
            "July 9, 2017, 7:50 a.m. UTC-04:00"
        );
        assert_eq!(at("2017-07-09").machine(), "2017-07-09");
    }

    #[test]
    fn times_are_written_as_pages_show_them() {
        let ny = time_zone("America/New_York").expect("bundled tzdb");
        let value: toml::value::Datetime = "2017-07-09T00:05:30.25".parse().expect("datetime");
        let moment = Moment::from_toml(&value, Some(&ny), true).expect("placed");
        let written = moment.written();
        assert_eq!(
            written.machine, "2017-07-09T00:05:30-04:00",
            "whole seconds"
        );
        assert_eq!(written.human, "about July 9, 2017, 12:05 a.m. EDT");
        assert_eq!(written.clock.as_deref(), Some("12:05 a.m. EDT"));
        let winter = at("2017-12-31T23:59:00+05:45");
        assert_eq!(winter.human(), "December 31, 2017, 11:59 p.m. UTC+05:45");
        assert_eq!(winter.rfc3339(), "2017-12-31T23:59:00+05:45");
        assert_eq!(at("0999-01-02").machine(), "0999-01-02");
        assert_eq!(at("0999-01-02").rfc3339(), "0999-01-02T00:00:00+00:00");
    }

    #[test]
    fn impossible_dates_are_refused() {
        let value = toml::value::Datetime {
            date: Some(toml::value::Date {
                year: 2017,
                month: 2,
                day: 30,
            }),
            time: None,
            offset: None,
        };
        assert!(Moment::from_toml(&value, None, false).is_err());
    }
}
