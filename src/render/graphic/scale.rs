//! The graphic's time axis: times to x positions, piecewise linear between
//! the times it must place. A gap far longer than the typical one (more than
//! [`BREAK_RATIO`] times the median) is drawn as a break of fixed width, so
//! it cannot squeeze the rest of the story into a corner; every other gap
//! gets room in proportion to its length, and never less than a few units,
//! so entries a minute apart stay two marks.

/// How many times the median gap a gap must be to become a break.
const BREAK_RATIO: i64 = 10;
/// A break's width.
const BREAK_WIDTH: f64 = 44.0;
/// The least room between two placed times.
const MIN_GAP: f64 = 16.0;

/// A gap in time drawn as a break in the axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Break {
    /// The times either side (seconds since the epoch).
    pub start: i64,
    /// See `start`.
    pub end: i64,
    /// Where it is drawn.
    pub x0: f64,
    /// See `x0`.
    pub x1: f64,
}

/// Times to x positions.
pub(crate) struct Scale {
    /// Each placed time and its x, in time order.
    knots: Vec<(i64, f64)>,
    breaks: Vec<Break>,
}

impl Scale {
    /// An axis from `left` to `right` placing `times` (sorted, distinct).
    pub(crate) fn new(times: &[i64], left: f64, right: f64) -> Scale {
        let gaps: Vec<i64> = times.windows(2).map(|pair| pair[1] - pair[0]).collect();
        let mut sorted = gaps.clone();
        sorted.sort_unstable();
        // The lower median: with one long gap among short ones, a short one.
        let typical = sorted.get(sorted.len().saturating_sub(1) / 2).copied();
        let broken: Vec<bool> = gaps
            .iter()
            .map(|gap| {
                gaps.len() > 1 && typical.is_some_and(|typical| *gap > typical * BREAK_RATIO)
            })
            .collect();
        let breaks_width = broken.iter().filter(|b| **b).count() as f64 * BREAK_WIDTH;
        let spans = broken.iter().filter(|b| !**b).count();
        let room = (right - left - breaks_width).max(0.0);
        let least = MIN_GAP.min(room / (2.0 * spans.max(1) as f64));
        let total: i64 = gaps
            .iter()
            .zip(&broken)
            .filter(|(_, b)| !**b)
            .map(|(gap, _)| gap)
            .sum();
        let share = (room - least * spans as f64).max(0.0);

        let mut x = if times.len() == 1 {
            (left + right) / 2.0
        } else {
            left
        };
        let mut knots = Vec::with_capacity(times.len());
        let mut breaks = Vec::new();
        for (index, time) in times.iter().enumerate() {
            knots.push((*time, x));
            let Some(gap) = gaps.get(index) else { break };
            let width = if broken[index] {
                breaks.push(Break {
                    start: *time,
                    end: time + gap,
                    x0: x,
                    x1: x + BREAK_WIDTH,
                });
                BREAK_WIDTH
            } else {
                least + share * (*gap as f64) / (total.max(1) as f64)
            };
            x += width;
        }
        Scale { knots, breaks }
    }

    /// The x of `time`: linear between the placed times around it, clamped
    /// to the first and last.
    pub(crate) fn x(&self, time: i64) -> f64 {
        let after = self.knots.partition_point(|(t, _)| *t < time);
        let before = after
            .checked_sub(1)
            .and_then(|i| self.knots.get(i).copied());
        match (before, self.knots.get(after).copied()) {
            (_, Some((t, x))) if t == time => x,
            (Some((t0, x0)), Some((t1, x1))) => {
                x0 + (x1 - x0) * (time - t0) as f64 / (t1 - t0) as f64
            }
            (Some((_, x)), None) | (None, Some((_, x))) => x,
            (None, None) => 0.0,
        }
    }

    /// The breaks, left to right.
    pub(crate) fn breaks(&self) -> &[Break] {
        &self.breaks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600;
    const YEAR: i64 = 365 * 24 * HOUR;

    #[test]
    fn one_time_sits_in_the_middle() {
        let scale = Scale::new(&[1000], 100.0, 300.0);
        assert_eq!(scale.x(1000), 200.0);
        assert!(scale.breaks().is_empty());
    }

    #[test]
    fn times_a_minute_apart_span_the_axis() {
        let scale = Scale::new(&[0, 60], 100.0, 300.0);
        assert_eq!(scale.x(0), 100.0);
        assert!((scale.x(60) - 300.0).abs() < 1e-9);
        assert!((scale.x(30) - 200.0).abs() < 1e-9);
    }

    #[test]
    fn a_gap_far_longer_than_the_rest_is_a_break() {
        let times = [0, HOUR, 2 * HOUR, 2 * HOUR + 4 * YEAR];
        let scale = Scale::new(&times, 0.0, 500.0);
        assert_eq!(scale.breaks().len(), 1);
        let gap = &scale.breaks()[0];
        assert_eq!((gap.start, gap.end), (2 * HOUR, 2 * HOUR + 4 * YEAR));
        assert!((gap.x1 - gap.x0 - BREAK_WIDTH).abs() < 1e-9);
        // The two hours get the rest of the axis, not a sliver of it.
        assert!(scale.x(2 * HOUR) > 400.0);
    }

    #[test]
    fn even_gaps_stay_linear_and_proportional() {
        let times = [0, YEAR, 2 * YEAR, 4 * YEAR];
        let scale = Scale::new(&times, 0.0, 400.0);
        assert!(scale.breaks().is_empty());
        let first = scale.x(YEAR) - scale.x(0);
        let last = scale.x(4 * YEAR) - scale.x(2 * YEAR);
        assert!(last > first * 1.8 && last < first * 2.2, "{first} {last}");
    }

    #[test]
    fn thirteen_hours_and_four_days_look_different() {
        let times = [0, 13 * HOUR, 13 * HOUR + 96 * HOUR];
        let scale = Scale::new(&times, 0.0, 400.0);
        let short = scale.x(13 * HOUR) - scale.x(0);
        let long = scale.x(109 * HOUR) - scale.x(13 * HOUR);
        assert!(long > short * 3.0, "{short} {long}");
    }

    #[test]
    fn close_times_keep_apart() {
        let times = [0, 60, 2 * YEAR / 10, YEAR];
        let scale = Scale::new(&times, 0.0, 400.0);
        assert!(scale.x(60) - scale.x(0) >= MIN_GAP - 1e-9);
    }
}
