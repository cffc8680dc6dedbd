//! Coordinates written to a tenth of a unit, as `{:.1}` writes them but by
//! integer arithmetic: a story's graphic writes a few hundred, and the
//! standard library's exact float formatting of each was a twentieth of a
//! whole build's time.

use std::fmt;

/// `value`, written to one decimal place.
pub(super) struct Tenths(pub f64);

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Coordinates are far inside i64 (a graphic is a few thousand units).
        let tenths = (self.0 * 10.0).round() as i64;
        let sign = if tenths < 0 { "-" } else { "" };
        let tenths = tenths.unsigned_abs();
        write!(f, "{sign}{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::Tenths;

    #[test]
    fn writes_one_decimal_rounded_to_the_nearest_tenth() {
        for (value, written) in [
            (0.0, "0.0"),
            (12.0, "12.0"),
            (12.34, "12.3"),
            (12.36, "12.4"),
            (599.96, "600.0"),
            (-4.5, "-4.5"),
            (-0.04, "0.0"),
            (1e-9, "0.0"),
        ] {
            assert_eq!(Tenths(value).to_string(), written, "{value}");
        }
    }
}
