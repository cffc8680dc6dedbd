//! The graphic's two layouts, wide and narrow: a page carries both
//! drawings and the stylesheet shows the one that fits its box.

/// How one drawing of the graphic is laid out. A page carries two, and the
/// stylesheet shows the one that fits the room: the wide one, lane names
/// left of the lanes, and the narrow one (for phones and small embeds), lane
/// names under the lane lines so the plot takes the whole width and the text
/// stays near its full size.
pub(super) struct Layout {
    /// Told apart in the markup (`data-layout`) and in the ids it holds.
    pub(super) name: &'static str,
    /// The drawing's width in SVG units; it scales to its box.
    pub(super) width: f64,
    /// Where the plot starts and ends.
    pub(super) plot_left: f64,
    /// See `plot_left`.
    pub(super) plot_right: f64,
    /// Where the axis's first label may start.
    pub(super) axis_left: f64,
    /// A lane's own height, its mark on its middle line.
    pub(super) lane: f64,
    /// The longest lane name shown whole (the full name is in its title).
    pub(super) name_chars: usize,
    /// Lane names go under each lane's line rather than left of the plot.
    pub(super) names_below: bool,
}

/// Lane names left of the plot.
pub(super) const WIDE: Layout = Layout {
    name: "wide",
    width: 720.0,
    plot_left: 150.0,
    plot_right: 700.0,
    axis_left: 130.0,
    lane: 34.0,
    name_chars: 20,
    names_below: false,
};

/// Lane names under the lines, the plot the whole width.
pub(super) const NARROW: Layout = Layout {
    name: "narrow",
    width: 320.0,
    plot_left: 16.0,
    plot_right: 304.0,
    axis_left: 2.0,
    lane: 52.0,
    name_chars: 48,
    names_below: true,
};
