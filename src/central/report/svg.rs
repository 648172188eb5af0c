//! The report's charts as inline SVG: each value is one `<rect>` carrying the value
//! (`data-value`) and a `<title>` that says it, so a reader hovering, a screen reader and a
//! test all find the figure the bar draws. Sizes are in the SVG's own units; the CSS makes it
//! as wide as the page.

use std::fmt::Write;

use super::escape;

const WIDTH: u32 = 640;
/// Horizontal bars: the label column, the bars after it, the value at the end.
const LABEL_WIDTH: u32 = 230;
const VALUE_WIDTH: u32 = 60;
const ROW_HEIGHT: u32 = 22;
const BAR_HEIGHT: u32 = 16;
/// Columns: the plot's height, the room under it for the month labels, and the margin on
/// the left where the first turned label ends.
const PLOT_HEIGHT: u32 = 200;
const AXIS_HEIGHT: u32 = 56;
const PLOT_LEFT: u32 = 40;
/// Labels longer than this many characters are cut (with …) beside their bar; the bar's
/// title has them whole.
const LABEL_CHARS: usize = 36;
/// Colours of the series of a stacked chart, in order (the CSS names them s0, s1…).
pub const SERIES: usize = 6;

/// One bar: its label (plain text, escaped here) and its value, `None` when a published
/// report hides it.
pub struct Bar {
    pub label: String,
    pub value: Option<u64>,
}

/// What stands for a hidden count.
pub const HIDDEN: &str = "–";

/// Horizontal bars, one per value, scaled to the largest.
pub fn bars(title: &str, bars: &[Bar]) -> String {
    let height = ROW_HEIGHT * bars.len().max(1) as u32;
    let max = bars.iter().filter_map(|b| b.value).max().unwrap_or(0);
    let room = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let mut svg = open(title, height);
    for (row, bar) in bars.iter().enumerate() {
        let y = row as u32 * ROW_HEIGHT;
        let label = escape(&bar.label);
        let short = escape(&shortened(&bar.label));
        let (x, ty) = (LABEL_WIDTH - 6, y + BAR_HEIGHT - 4);
        let _ = write!(
            svg,
            r#"<text x="{x}" y="{ty}" class="label" text-anchor="end">{short}</text>"#
        );
        let (length, data, value) = match bar.value {
            Some(value) => (
                scaled(value, max, room),
                format!(r#"class="bar" data-value="{value}""#),
                value.to_string(),
            ),
            None => (
                0,
                r#"class="bar" data-hidden="true""#.to_owned(),
                HIDDEN.to_owned(),
            ),
        };
        let _ = write!(
            svg,
            r#"<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" {data}><title>{label}: {value}</title></rect><text x="{vx}" y="{ty}" class="value">{value}</text>"#,
            vx = LABEL_WIDTH + length + 4,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One column of a stacked chart: its label and its values by series (index into the
/// series' labels).
pub struct Column {
    pub label: String,
    pub values: Vec<(usize, u64)>,
}

/// Vertical columns stacked by series, scaled to the largest column. Every value that is not
/// zero is one `<rect>`, with `data-column` naming its column.
pub fn stacked_columns(title: &str, columns: &[Column], series: &[String]) -> String {
    let height = PLOT_HEIGHT + AXIS_HEIGHT;
    let total = |column: &Column| column.values.iter().map(|(_, v)| v).sum::<u64>();
    let max = columns.iter().map(total).max().unwrap_or(0);
    let slot = (WIDTH - PLOT_LEFT) / columns.len().max(1) as u32;
    let width = (slot * 3 / 4).max(1);
    let mut svg = open(title, height);
    for (index, column) in columns.iter().enumerate() {
        let x = PLOT_LEFT + index as u32 * slot + (slot - width) / 2;
        let label = escape(&column.label);
        let mut top = PLOT_HEIGHT;
        for (serie, value) in column.values.iter().filter(|(_, v)| *v > 0) {
            let length = scaled(*value, max, PLOT_HEIGHT);
            top = top.saturating_sub(length);
            let name = series.get(*serie).map_or_else(String::new, |s| escape(s));
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="{top}" width="{width}" height="{length}" class="s{class}" data-column="{label}" data-value="{value}"><title>{label}, {name}: {value}</title></rect>"#,
                class = serie % SERIES,
            );
        }
        // Month labels turn when there are many, so they do not overlap; they end under
        // their column, so the last stays inside the chart.
        let (lx, ly) = (x + width / 2, PLOT_HEIGHT + 12);
        let turn = if columns.len() > 8 {
            format!(r#" transform="rotate(-45 {lx} {ly})" text-anchor="end""#)
        } else {
            r#" text-anchor="middle""#.to_owned()
        };
        let _ = write!(
            svg,
            r#"<text x="{lx}" y="{ly}" class="label"{turn}>{label}</text>"#
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A label cut to [`LABEL_CHARS`] characters, with … when cut.
fn shortened(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}

/// A square of a series' colour, for a legend.
pub fn swatch(serie: usize) -> String {
    format!(
        r#"<svg class="swatch" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true"><rect width="10" height="10" class="s{}"/></svg>"#,
        serie % SERIES
    )
}

fn open(title: &str, height: u32) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>"#,
        title = escape(title)
    )
}

/// The length of `value` when `max` fills `room`; at least 1 for a value that is not zero.
fn scaled(value: u64, max: u64, room: u32) -> u32 {
    if value == 0 || max == 0 {
        return 0;
    }
    let length = (value as f64 * f64::from(room) / max as f64).round() as u32;
    length.clamp(1, room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_a_rect_with_its_title_and_labels_are_escaped() {
        let svg = bars(
            "By <department>",
            &[
                Bar {
                    label: "Lima".into(),
                    value: Some(10),
                },
                Bar {
                    label: "<b>x</b>".into(),
                    value: Some(0),
                },
                Bar {
                    label: "Puno".into(),
                    value: None,
                },
            ],
        );
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(
            svg.contains(r#"data-value="10"><title>Lima: 10</title>"#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"data-hidden="true"><title>Puno: –</title>"#),
            "{svg}"
        );
        assert!(svg.contains("&lt;b&gt;x&lt;/b&gt;: 0"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("By &lt;department&gt;"), "{svg}");
    }

    #[test]
    fn stacked_columns_draw_each_value_that_is_not_zero() {
        let columns = [
            Column {
                label: "2026-10".into(),
                values: vec![(0, 5), (1, 0), (2, 3)],
            },
            Column {
                label: "2026-11".into(),
                values: vec![],
            },
        ];
        let series = ["Tip".to_owned(), "Crisis".to_owned(), "Others".to_owned()];
        let svg = stacked_columns("Calls", &columns, &series);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("<title>2026-10, Others: 3</title>"), "{svg}");
        assert!(svg.contains(">2026-11</text>"), "{svg}");
    }

    #[test]
    fn long_labels_are_cut_beside_the_bar_and_whole_in_its_title() {
        let long = "Explotación laboral / trabajos o servicios forzados";
        let svg = bars(
            "Types",
            &[Bar {
                label: long.into(),
                value: Some(3),
            }],
        );
        assert!(svg.contains(&format!("<title>{long}: 3</title>")), "{svg}");
        assert!(
            svg.contains(">Explotación laboral / trabajos o se…</text>"),
            "{svg}"
        );
    }

    #[test]
    fn bars_are_proportional_and_one_still_shows() {
        assert_eq!(scaled(10, 10, 300), 300);
        assert_eq!(scaled(1, 10_000, 300), 1);
        assert_eq!(scaled(0, 10, 300), 0);
        assert_eq!(scaled(5, 0, 300), 0);
    }
}
