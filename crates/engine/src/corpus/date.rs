//! Publication dates as news sites write them, read into ISO 8601.
//!
//! Exports and scrapers give dates in many shapes: `2019-10-09 00:00:00`, `2019-10-09T08:30:00+07:00`,
//! `31 Juli 2019`, `10-Sep-19`, `Oktober 19, 2019`, `Oct 2, 2019`, `Senin, 10/01/2022 14:05 WIB`, RFC
//! 2822 (`Wed, 09 Oct 2019 08:30:00 +0700`), with Indonesian and English month and day names, full and
//! short. [`read_date`] turns them into `YYYY-MM-DD`, followed by `THH:MM` (`:SS` when the seconds are
//! not zero) and the offset when the text gives a time. A time of exactly midnight with no zone is
//! what scrapers write when they have no time (`2019-10-09 00:00:00`): it is left out.
//!
//! RFC 3339 and RFC 2822 are read by `chrono`; the other shapes are read word by word here, with a
//! small table of month, weekday and zone names. Numeric dates such as `03/04/2019` can be day-first
//! (Indonesia, most of the world) or month-first (the United States): a weekday name settles it, else
//! the [`DayMonth`] order the caller knows (the loader learns it per source from that source's
//! unambiguous dates, see [`DayMonth::learn`]); without one the date is
//! [`DateErrorKind::Ambiguous`].

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Weekday};

/// Which comes first in a numeric date such as `03/04/2019`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DayMonth {
    /// Not known: a date whose day and month could be swapped is ambiguous.
    #[default]
    Unknown,
    /// `03/04/2019` is 3 April 2019.
    DayFirst,
    /// `03/04/2019` is 4 March 2019.
    MonthFirst,
}

impl DayMonth {
    /// The order a set of dates (one source's) shows: day-first when some date can only be read that
    /// way (`14/09/2019`) and none only the other way, month-first in the opposite case, else unknown.
    pub fn learn<'a>(dates: impl IntoIterator<Item = &'a str>) -> DayMonth {
        let (mut day_first, mut month_first) = (false, false);
        for date in dates {
            if let Some((a, b)) = numeric_day_month(date) {
                day_first |= a > 12 && b <= 12;
                month_first |= b > 12 && a <= 12;
            }
        }
        match (day_first, month_first) {
            (true, false) => DayMonth::DayFirst,
            (false, true) => DayMonth::MonthFirst,
            _ => DayMonth::Unknown,
        }
    }
}

/// Why a date could not be read; [`DateError::kind`] says what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError {
    kind: DateErrorKind,
}

/// What is wrong with a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateErrorKind {
    /// Not a date in any shape this module knows (or not a real day, such as 31 June).
    Unreadable,
    /// A numeric date whose day and month could be either way round, with nothing to tell.
    Ambiguous,
    /// The weekday it names is not the weekday of the date.
    WrongWeekday,
}

impl DateError {
    /// What is wrong.
    pub fn kind(&self) -> DateErrorKind {
        self.kind
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            DateErrorKind::Unreadable => "not a date Sorot can read",
            DateErrorKind::Ambiguous => "day and month could be either way round",
            DateErrorKind::WrongWeekday => "its weekday does not match the date",
        })
    }
}

impl std::error::Error for DateError {}

/// Reads a date as a news site writes it into ISO 8601 (see the module docs); `order` says how to read
/// a numeric date whose day and month could be swapped.
pub fn read_date(text: &str, order: DayMonth) -> Result<String, DateError> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Ok(iso(dt.date_naive(), Some((dt.time(), Some(offset_text(dt.offset().local_minus_utc()))))));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        return Ok(iso(dt.date_naive(), Some((dt.time(), Some(offset_text(dt.offset().local_minus_utc()))))));
    }
    Parts::read(text).and_then(|parts| parts.resolve(order)).map_err(|kind| DateError { kind })
}

/// The day-and-month pair of a numeric date (`14/09/2019` → `(14, 9)`), if the text is one.
fn numeric_day_month(text: &str) -> Option<(u32, u32)> {
    let parts = Parts::read(text).ok()?;
    match parts.date[..] {
        [Piece::Number(a, la), Piece::Number(b, lb), Piece::Number(_, ly)]
            if la <= 2 && lb <= 2 && ly != 3 =>
        {
            Some((a, b))
        }
        _ => None,
    }
}

fn offset_text(seconds: i32) -> String {
    if seconds == 0 {
        return "Z".into();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `YYYY-MM-DD`, with `THH:MM[:SS]` and the offset when there is a time worth keeping.
fn iso(date: NaiveDate, time: Option<(chrono::NaiveTime, Option<String>)>) -> String {
    use chrono::Timelike;
    let mut out = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
    if let Some((t, zone)) = time {
        let midnight = t.hour() == 0 && t.minute() == 0 && t.second() == 0;
        if !(midnight && zone.is_none()) {
            out.push_str(&format!("T{:02}:{:02}", t.hour(), t.minute()));
            if t.second() != 0 {
                out.push_str(&format!(":{:02}", t.second()));
            }
            out.push_str(zone.as_deref().unwrap_or(""));
        }
    }
    out
}

/// Month names, Indonesian and English, full and short (`agu`, `agt`, `nop` as Indonesian sites write).
const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("january", 1),
    ("jan", 1),
    ("februari", 2),
    ("pebruari", 2),
    ("february", 2),
    ("feb", 2),
    ("peb", 2),
    ("maret", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("agustus", 8),
    ("august", 8),
    ("agu", 8),
    ("agt", 8),
    ("ags", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nopember", 11),
    ("nov", 11),
    ("nop", 11),
    ("desember", 12),
    ("december", 12),
    ("des", 12),
    ("dec", 12),
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("senin", Weekday::Mon),
    ("sen", Weekday::Mon),
    ("monday", Weekday::Mon),
    ("mon", Weekday::Mon),
    ("selasa", Weekday::Tue),
    ("sel", Weekday::Tue),
    ("tuesday", Weekday::Tue),
    ("tue", Weekday::Tue),
    ("tues", Weekday::Tue),
    ("rabu", Weekday::Wed),
    ("rab", Weekday::Wed),
    ("wednesday", Weekday::Wed),
    ("wed", Weekday::Wed),
    ("kamis", Weekday::Thu),
    ("kam", Weekday::Thu),
    ("thursday", Weekday::Thu),
    ("thu", Weekday::Thu),
    ("thur", Weekday::Thu),
    ("thurs", Weekday::Thu),
    ("jumat", Weekday::Fri),
    ("jum'at", Weekday::Fri),
    ("jum", Weekday::Fri),
    ("friday", Weekday::Fri),
    ("fri", Weekday::Fri),
    ("sabtu", Weekday::Sat),
    ("sab", Weekday::Sat),
    ("saturday", Weekday::Sat),
    ("sat", Weekday::Sat),
    ("minggu", Weekday::Sun),
    ("ahad", Weekday::Sun),
    ("min", Weekday::Sun),
    ("sunday", Weekday::Sun),
    ("sun", Weekday::Sun),
];

/// Zone names and their offsets in minutes (Indonesia's three zones, and UTC).
const ZONES: &[(&str, i32)] = &[("wib", 420), ("wita", 480), ("wit", 540), ("utc", 0), ("gmt", 0), ("z", 0)];

/// Words that may sit between a date's parts without meaning anything for it.
const FILLERS: &[&str] = &["pukul", "jam", "pkl", "at", "on", "the", "of", "tanggal", "tgl"];

/// A part of the date proper: a number (with its count of digits) or a month name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    Number(u32, usize),
    Month(u32),
}

/// What the text says, before deciding the order of day, month and year.
#[derive(Debug, Default)]
struct Parts {
    date: Vec<Piece>,
    weekday: Option<Weekday>,
    /// Hour, minute, second.
    time: Option<(u32, u32, u32)>,
    /// `Some(true)` for PM, `Some(false)` for AM.
    pm: Option<bool>,
    /// Minutes east of UTC.
    offset: Option<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'t> {
    Number(u32, usize),
    Word(&'t str),
    Punct(char),
}

fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = j + 1;
                chars.next();
            }
            let digits = &text[i..end];
            if digits.len() > 4 {
                return None;
            }
            out.push(Token::Number(digits.parse().ok()?, digits.len()));
        } else if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphabetic() || d == '\'') {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push(Token::Word(&text[i..end]));
        } else if !c.is_whitespace() {
            out.push(Token::Punct(c));
        }
    }
    Some(out)
}

fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    table.iter().find(|(name, _)| *name == word).map(|&(_, v)| v)
}

impl Parts {
    fn read(text: &str) -> Result<Parts, DateErrorKind> {
        let tokens = tokens(text).ok_or(DateErrorKind::Unreadable)?;
        let mut parts = Parts::default();
        let mut i = 0;
        while i < tokens.len() {
            let at = |i: usize, k: usize| tokens.get(i + k).copied();
            match tokens[i] {
                Token::Word(word) => {
                    let lower = word.to_lowercase();
                    let word = lower.trim_end_matches('.');
                    if let Some(m) = lookup(MONTHS, word) {
                        parts.date.push(Piece::Month(m));
                    } else if let Some(d) = lookup(WEEKDAYS, word) {
                        parts.weekday = Some(d);
                    } else if let (Some(z), true) = (lookup(ZONES, word), parts.time.is_some() || word == "z")
                    {
                        parts.offset = Some(z);
                    } else if matches!(word, "am" | "pm") && parts.time.is_some() {
                        parts.pm = Some(word == "pm");
                    } else if word == "t" && parts.date.len() == 3 {
                        // The `T` between an ISO date and its time, when chrono did not take the whole.
                    } else if !FILLERS.contains(&word) {
                        return Err(DateErrorKind::Unreadable);
                    }
                    i += 1;
                }
                Token::Number(h, digits) => {
                    // A time: `14:05`, `14:05:30`, or `14.05` once the date is complete.
                    let colon = at(i, 1) == Some(Token::Punct(':'));
                    let dot = at(i, 1) == Some(Token::Punct('.')) && parts.date.len() == 3;
                    if let (true, Some(Token::Number(m, 2))) = (colon || dot, at(i, 2)) {
                        if parts.time.is_some() || h > 23 || m > 59 {
                            return Err(DateErrorKind::Unreadable);
                        }
                        let mut s = 0;
                        i += 3;
                        if let (Some(Token::Punct(':' | '.')), Some(Token::Number(sec, 2))) =
                            (at(i, 0), at(i, 1))
                        {
                            if sec > 60 {
                                return Err(DateErrorKind::Unreadable);
                            }
                            s = sec;
                            i += 2;
                            // Fractions of a second.
                            if let (Some(Token::Punct('.' | ',')), Some(Token::Number(..))) =
                                (at(i, 0), at(i, 1))
                            {
                                i += 2;
                            }
                        }
                        parts.time = Some((h, m, s));
                        continue;
                    }
                    if parts.date.len() == 3 {
                        return Err(DateErrorKind::Unreadable);
                    }
                    parts.date.push(Piece::Number(h, digits));
                    i += 1;
                }
                Token::Punct(sign @ ('+' | '-')) if parts.time.is_some() => {
                    // An offset after the time: +0700, +07:00, -05.
                    let minutes = match (at(i, 1), at(i, 2), at(i, 3)) {
                        (Some(Token::Number(hm, 4)), _, _) => {
                            i += 2;
                            (hm / 100 * 60 + hm % 100) as i32
                        }
                        (Some(Token::Number(h, 2)), Some(Token::Punct(':')), Some(Token::Number(m, 2))) => {
                            i += 4;
                            (h * 60 + m) as i32
                        }
                        (Some(Token::Number(h, 1..=2)), _, _) => {
                            i += 2;
                            (h * 60) as i32
                        }
                        _ => return Err(DateErrorKind::Unreadable),
                    };
                    if minutes > 14 * 60 {
                        return Err(DateErrorKind::Unreadable);
                    }
                    parts.offset = Some(if sign == '-' { -minutes } else { minutes });
                }
                Token::Punct(',' | '/' | '-' | '.' | '|' | '(' | ')') => i += 1,
                Token::Punct(_) => return Err(DateErrorKind::Unreadable),
            }
        }
        Ok(parts)
    }

    /// Decides day, month and year, checks the weekday and writes ISO 8601.
    fn resolve(self, order: DayMonth) -> Result<String, DateErrorKind> {
        let year = |value: u32, digits: usize| match digits {
            4 => Some(value as i32),
            // Two-digit years as POSIX reads them: 69–99 are 1900s, 00–68 the 2000s.
            2 => Some(if value >= 69 { 1900 + value as i32 } else { 2000 + value as i32 }),
            _ => None,
        };
        use Piece::{Month, Number};
        let mut candidates: Vec<(i32, u32, u32)> = Vec::new();
        match self.date[..] {
            [Number(y, 4), Number(m, 1..=2), Number(d, 1..=2)]
            | [Number(y, 4), Month(m), Number(d, 1..=2)] => {
                candidates.push((y as i32, m, d));
            }
            [Number(d, 1..=2), Month(m), Number(y, ly)] | [Month(m), Number(d, 1..=2), Number(y, ly)] => {
                candidates.extend(year(y, ly).map(|y| (y, m, d)));
            }
            [Number(a, 1..=2), Number(b, 1..=2), Number(y, ly)] => {
                let y = year(y, ly).ok_or(DateErrorKind::Unreadable)?;
                let day_first = (y, b, a);
                let month_first = (y, a, b);
                match (a > 12, b > 12) {
                    (true, true) => return Err(DateErrorKind::Unreadable),
                    (true, false) => candidates.push(day_first),
                    (false, true) => candidates.push(month_first),
                    (false, false) if a == b => candidates.push(day_first),
                    (false, false) => match (self.weekday, order) {
                        (Some(_), _) => candidates.extend([day_first, month_first]),
                        (None, DayMonth::DayFirst) => candidates.push(day_first),
                        (None, DayMonth::MonthFirst) => candidates.push(month_first),
                        (None, DayMonth::Unknown) => return Err(DateErrorKind::Ambiguous),
                    },
                }
            }
            _ => return Err(DateErrorKind::Unreadable),
        }
        let real: Vec<NaiveDate> =
            candidates.iter().filter_map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)).collect();
        let date = match (self.weekday, &real[..]) {
            (_, []) => return Err(DateErrorKind::Unreadable),
            (None, [date]) => *date,
            (Some(weekday), dates) => {
                let matching: Vec<&NaiveDate> = dates.iter().filter(|d| d.weekday() == weekday).collect();
                match matching[..] {
                    [date] => *date,
                    [] => return Err(DateErrorKind::WrongWeekday),
                    _ => return Err(DateErrorKind::Ambiguous),
                }
            }
            (None, _) => return Err(DateErrorKind::Ambiguous),
        };
        let time = match self.time {
            None => None,
            Some((h, m, s)) => {
                let h = match self.pm {
                    None => h,
                    Some(_) if h == 0 || h > 12 => return Err(DateErrorKind::Unreadable),
                    Some(pm) => h % 12 + if pm { 12 } else { 0 },
                };
                let time =
                    chrono::NaiveTime::from_hms_opt(h, m, s.min(59)).ok_or(DateErrorKind::Unreadable)?;
                Some((time, self.offset.map(|o| offset_text(o * 60))))
            }
        };
        Ok(iso(date, time))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_publishers_write_them() {
        use DayMonth::{DayFirst, MonthFirst, Unknown};
        #[rustfmt::skip]
        let cases: &[(&str, DayMonth, Result<&str, DateErrorKind>)] = &[
            ("2019-10-09", Unknown, Ok("2019-10-09")),
            ("2019-10-09 00:00:00", Unknown, Ok("2019-10-09")),
            ("2019-10-09 08:30:00", Unknown, Ok("2019-10-09T08:30")),
            ("2019-10-09T08:30:00+07:00", Unknown, Ok("2019-10-09T08:30+07:00")),
            ("2019-10-09T08:30:15Z", Unknown, Ok("2019-10-09T08:30:15Z")),
            ("2019-10-09T00:00:00+07:00", Unknown, Ok("2019-10-09T00:00+07:00")),
            ("2019-10-09T08:30:00.123+07:00", Unknown, Ok("2019-10-09T08:30+07:00")),
            ("2019-10-09T08:30", Unknown, Ok("2019-10-09T08:30")),
            ("2019/10/09", Unknown, Ok("2019-10-09")),
            ("31 Juli 2019", Unknown, Ok("2019-07-31")),
            ("24 Maret 2019", Unknown, Ok("2019-03-24")),
            ("20 Agustus 2019", Unknown, Ok("2019-08-20")),
            ("1 Agt 2019", Unknown, Ok("2019-08-01")),
            ("5 Nopember 2019", Unknown, Ok("2019-11-05")),
            ("10-Sep-19", Unknown, Ok("2019-09-10")),
            ("19-Sep-2019", Unknown, Ok("2019-09-19")),
            ("Oktober 19, 2019", Unknown, Ok("2019-10-19")),
            ("Oct 2, 2019", Unknown, Ok("2019-10-02")),
            ("Oct. 2, 2019", Unknown, Ok("2019-10-02")),
            ("October 2, 2019 8:30 PM", Unknown, Ok("2019-10-02T20:30")),
            ("October 2, 2019 12:05 am", Unknown, Ok("2019-10-02T00:05")),
            ("Senin, 10/01/2022 14:05 WIB", Unknown, Ok("2022-01-10T14:05+07:00")),
            ("Senin, 10 Januari 2022 | 14:05 WIB", Unknown, Ok("2022-01-10T14:05+07:00")),
            ("Kamis, 6 Januari 2022 pukul 08.30 WITA", Unknown, Ok("2022-01-06T08:30+08:00")),
            ("Jum'at, 7 Januari 2022", Unknown, Ok("2022-01-07")),
            ("Wed, 09 Oct 2019 08:30:00 +0700", Unknown, Ok("2019-10-09T08:30+07:00")),
            ("Wed, 09 Oct 2019 08:30:00 GMT", Unknown, Ok("2019-10-09T08:30Z")),
            ("14/09/2019", Unknown, Ok("2019-09-14")),
            ("09/14/2019", Unknown, Ok("2019-09-14")),
            ("03/04/2019", DayFirst, Ok("2019-04-03")),
            ("03/04/2019", MonthFirst, Ok("2019-03-04")),
            ("03/04/2019", Unknown, Err(DateErrorKind::Ambiguous)),
            ("04/04/2019", Unknown, Ok("2019-04-04")),
            ("14.09.2019", Unknown, Ok("2019-09-14")),
            // A weekday settles the order: 10 January 2022 was a Monday, 1 October 2022 a Saturday.
            ("Senin, 10/01/2022", MonthFirst, Ok("2022-01-10")),
            ("Sabtu, 10/01/2022", DayFirst, Ok("2022-10-01")),
            ("Selasa, 10 Januari 2022", Unknown, Err(DateErrorKind::WrongWeekday)),
            ("31 Juni 2019", Unknown, Err(DateErrorKind::Unreadable)),
            ("kemarin", Unknown, Err(DateErrorKind::Unreadable)),
            ("", Unknown, Err(DateErrorKind::Unreadable)),
            ("2019", Unknown, Err(DateErrorKind::Unreadable)),
            ("Juli 2019", Unknown, Err(DateErrorKind::Unreadable)),
            ("2 jam yang lalu", Unknown, Err(DateErrorKind::Unreadable)),
            ("25:00 10 Juli 2019", Unknown, Err(DateErrorKind::Unreadable)),
            ("10 Juli 2019 13:00 PM", Unknown, Err(DateErrorKind::Unreadable)),
            ("123456789", Unknown, Err(DateErrorKind::Unreadable)),
        ];
        let mut names: Vec<(&str, DayMonth)> = cases.iter().map(|c| (c.0, c.1)).collect();
        names.sort_by_key(|(t, o)| (*t, *o as u8));
        names.dedup();
        assert_eq!(names.len(), cases.len(), "cases are unique");
        for (text, order, expected) in cases {
            let got = read_date(text, *order);
            assert_eq!(got.as_deref().map_err(DateError::kind), *expected, "{text:?} ({order:?})");
        }
    }

    #[test]
    fn the_order_is_learnt_from_dates_that_only_read_one_way() {
        assert_eq!(DayMonth::learn(["14/09/2019", "03/04/2019"]), DayMonth::DayFirst);
        assert_eq!(DayMonth::learn(["09/14/2019", "03/04/2019"]), DayMonth::MonthFirst);
        assert_eq!(DayMonth::learn(["03/04/2019", "2019-10-09", "31 Juli 2019"]), DayMonth::Unknown);
        assert_eq!(DayMonth::learn(["14/09/2019", "09/14/2019"]), DayMonth::Unknown);
    }

    #[test]
    fn whatever_the_text_it_never_panics_and_always_writes_iso() {
        use proptest::prelude::*;
        proptest!(|(text in "[0-9A-Za-z ,./:+|-]{0,40}")| {
            if let Ok(date) = read_date(&text, DayMonth::DayFirst) {
                prop_assert!(crate::corpus::article::is_iso_date(&date), "{text:?} -> {date:?}");
            }
        });
    }
}
