//! What a published table of central's figures hides (`central report --public`): each
//! figure goes through `model::disclosure::suppress_cells` as a table of its own with its
//! total, so every count from 1 to k - 1 is hidden and so is any count its total would give
//! away; calls by month and reason are one table with the months' and the reasons' totals.
//! A count alone (a total, a step of the funnel) is hidden when it is from 1 to k - 1, and
//! the times from U1 calls to the police when they are fewer than k calls: a median of three
//! is one person's.

use std::collections::HashSet;

use super::figures::{CentralFigures, Figure, LISTS, funnel_steps};
use crate::model::disclosure::{MIN_K, suppress_cells};

/// The key that stands for a figure's total.
pub const TOTAL: &str = "total";

/// The cells a published table hides, by figure and key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    cells: HashSet<(Figure, String)>,
    threshold: u64,
}

impl Hidden {
    /// Nothing hidden: the report for central's own use.
    pub fn none() -> Hidden {
        Hidden::default()
    }

    /// What publishing `figures` hides, at CTDC's threshold of 11.
    pub fn of(figures: &CentralFigures) -> Hidden {
        let threshold = MIN_K as u64;
        let mut hidden = Hidden {
            cells: HashSet::new(),
            threshold,
        };
        let small = |count: u64| count > 0 && count < threshold;
        for figure in LISTS {
            let counts = figures.counts(figure);
            let row: Vec<u64> = counts.iter().map(|c| c.count).collect();
            let suppression = suppress_cells(&[row], threshold);
            // One row: each count is also its column's total, and the row's total the figure's.
            for (index, count) in counts.iter().enumerate() {
                if suppression.cells[0][index] || suppression.column_totals[index] {
                    hidden.hide(figure, &count.key);
                }
            }
            if suppression.grand_total || suppression.row_totals[0] {
                hidden.hide(figure, TOTAL);
            }
        }
        hidden.months(figures);
        for (key, _, count) in figures.totals() {
            if small(count) {
                hidden.hide(Figure::Totals, key);
            }
        }
        for (key, _, count) in funnel_steps(&figures.funnel) {
            if small(count) {
                hidden.hide(Figure::Funnel, key);
            }
        }
        if figures.u1_to_police.calls < threshold {
            for key in ["calls", "median_days", "p90_days"] {
                hidden.hide(Figure::U1ToPolice, key);
            }
        }
        hidden
    }

    /// Calls by month and reason as one table, the months' totals and the reasons' beside it.
    fn months(&mut self, figures: &CentralFigures) {
        let reasons: Vec<&str> = figures
            .calls_by_reason
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        let table: Vec<Vec<u64>> = figures
            .calls_per_month
            .iter()
            .map(|month| {
                reasons
                    .iter()
                    .map(|reason| {
                        month
                            .reasons
                            .iter()
                            .find(|c| c.key == *reason)
                            .map_or(0, |c| c.count)
                    })
                    .collect()
            })
            .collect();
        let suppression = suppress_cells(&table, self.threshold);
        for (m, month) in figures.calls_per_month.iter().enumerate() {
            for (r, reason) in reasons.iter().enumerate() {
                if suppression.cells[m][r] {
                    self.hide(
                        Figure::CallsPerMonthByReason,
                        &format!("{}/{reason}", month.month),
                    );
                }
            }
            if suppression.row_totals[m] {
                self.hide(Figure::CallsPerMonth, &month.month);
            }
        }
        for (r, reason) in reasons.iter().enumerate() {
            if suppression.column_totals[r] {
                self.hide(Figure::CallsByReason, reason);
            }
        }
    }

    fn hide(&mut self, figure: Figure, key: &str) {
        self.cells.insert((figure, key.to_owned()));
    }

    pub fn hides(&self, figure: Figure, key: &str) -> bool {
        self.cells.contains(&(figure, key.to_owned()))
    }

    /// Whether this is for a published report, which says how counts are hidden even when
    /// none had to be.
    pub fn is_public(&self) -> bool {
        self.threshold > 0
    }

    /// The smallest count shown (11).
    pub fn threshold(&self) -> u64 {
        self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::central::figures::{Funnel, MonthCounts, ResponseTime};
    use crate::store::{Count, Period};

    fn count(key: &str, count: u64) -> Count {
        Count {
            key: key.into(),
            count,
        }
    }

    fn figures() -> CentralFigures {
        let day = "2026-11-01".parse().unwrap();
        CentralFigures {
            first_day: day,
            last_day: day,
            period: Period {
                from: chrono::Utc::now(),
                to: chrono::Utc::now(),
            },
            office: None,
            offices: Default::default(),
            calls: 60,
            calls_by_office: vec![count("pe-lima", 57), count("pe-puno", 3)],
            calls_per_week: Vec::new(),
            calls_per_month: vec![MonthCounts {
                month: "2026-11".into(),
                calls: 60,
                reasons: vec![count("TIP", 40), count("CRISIS", 20)],
            }],
            calls_by_reason: vec![count("TIP", 40), count("CRISIS", 20)],
            calls_by_urgency: Vec::new(),
            calls_by_department: vec![count("15", 30), count("17", 25), count("21", 5)],
            calls_by_exploitation_type: Vec::new(),
            presumed_victims: 4,
            presumed_victims_by_office: vec![count("pe-lima", 4)],
            referrals: 0,
            referrals_by_target: Vec::new(),
            referrals_by_status: Vec::new(),
            cases_referred_to_police: 12,
            funnel: Funnel {
                referred: 30,
                acknowledged: 12,
                investigation_or_service: 7,
                closed: 0,
            },
            u1_to_police: ResponseTime {
                calls: 3,
                median_days: Some(0.5),
                p90_days: Some(1.0),
            },
            overdue_referrals: 0,
            overdue_referrals_by_office: Vec::new(),
        }
    }

    #[test]
    fn small_counts_and_what_would_give_them_away_are_hidden() {
        let hidden = Hidden::of(&figures());
        // Puno's 3 calls, and Lima's 57 too: the total of 60 would give Puno's away.
        assert!(hidden.hides(Figure::CallsByOffice, "pe-puno"));
        assert!(hidden.hides(Figure::CallsByOffice, "pe-lima"));
        // Department 21's 5, and the smallest other count that keeps it from the total.
        assert!(hidden.hides(Figure::CallsByDepartment, "21"));
        assert!(hidden.hides(Figure::CallsByDepartment, "17"));
        assert!(!hidden.hides(Figure::CallsByDepartment, "15"));
        // Counts alone: under 11 hidden, zero shown.
        assert!(hidden.hides(Figure::Totals, "presumed_victims"));
        assert!(!hidden.hides(Figure::Totals, "cases_referred_to_police"));
        assert!(hidden.hides(Figure::Funnel, "investigation_or_service"));
        assert!(!hidden.hides(Figure::Funnel, "closed"));
        assert!(hidden.hides(Figure::U1ToPolice, "median_days"));
        assert!(!hidden.hides(Figure::CallsPerMonth, "2026-11"));
        assert!(!Hidden::none().is_public());
        assert!(hidden.is_public());
    }
}
