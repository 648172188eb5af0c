//! Disclosure control for what central publishes: k-anonymity for a file with one row per
//! person, and cell suppression for tables of counts. Pure: rows and counts in, what may be
//! published out.
//!
//! k-anonymity: every combination of the quasi-identifiers (the columns someone could know
//! from elsewhere: a year, a gender, an age, a place) is shared by at least k rows. Columns
//! are made coarser for every row (full-domain generalisation), as little as it takes to
//! leave few rows in groups under k; their quasi-identifiers are then suppressed, so they
//! form one group of their own, made up to k rows with rows other groups can spare, or
//! else withheld.
//!
//! Tables: every count from 1 to k - 1 is suppressed, and more cells until no suppressed
//! cell can be worked out from the cells and totals published. A zero is shown: it names no
//! one, and a suppressed zero could be worked out where a range of positive counts cannot.

use std::collections::{HashMap, VecDeque};

/// The smallest group published: CTDC's threshold, and the least linea accepts.
pub const MIN_K: usize = 11;

/// What a quasi-identifier becomes once suppressed.
pub const SUPPRESSED: &str = "suppressed";

/// One step up a quasi-identifier's ladder: every value mapped to a coarser one.
pub struct Generalisation {
    /// What the step does, for a file's header: "department -> country".
    pub label: String,
    /// Applied to the value one step below (the recorded value for the first step).
    pub apply: Box<dyn Fn(&str) -> String>,
}

impl Generalisation {
    pub fn new(label: &str, apply: impl Fn(&str) -> String + 'static) -> Generalisation {
        Generalisation {
            label: label.to_owned(),
            apply: Box::new(apply),
        }
    }
}

/// A column someone could know from elsewhere and find a row by, with the ways to coarsen
/// it, finest first. One step past the last, the column is suppressed in every row.
pub struct QuasiIdentifier {
    pub name: String,
    pub steps: Vec<Generalisation>,
}

impl QuasiIdentifier {
    /// The level at which the column is suppressed in every row.
    pub fn suppressed_level(&self) -> usize {
        self.steps.len() + 1
    }
}

/// The rows as they may be published, and what was done to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KAnonymous {
    /// Each row's quasi-identifiers, in the order given; `None` for a row withheld.
    pub rows: Vec<Option<Vec<String>>>,
    /// How many steps each quasi-identifier went up; its `suppressed_level` when it is
    /// suppressed in every row.
    pub levels: Vec<usize>,
    /// Rows whose quasi-identifiers were all suppressed, so that no group is under k.
    pub suppressed_rows: usize,
    /// Rows left out: suppressed, they were fewer than k, and the other groups could not
    /// spare enough rows to join them.
    pub withheld_rows: usize,
}

/// Makes `rows` (each the values of `quasi_identifiers`, in order) k-anonymous.
///
/// Of every combination of levels, the one that loses least is taken (each column's loss
/// its level over its suppressed level, summed; then the fewest rows left in groups under
/// k) among those leaving at most `max(k, rows / 20)` rows in groups under k: suppressing a
/// few outliers loses less than coarsening a column for everyone. The search (branch and
/// bound over the combinations of levels) is for a handful of quasi-identifiers with a few
/// steps each.
pub fn k_anonymise(
    rows: &[Vec<String>],
    quasi_identifiers: &[QuasiIdentifier],
    k: usize,
) -> KAnonymous {
    let k = k.max(1);
    let ladders: Vec<Ladder> = quasi_identifiers
        .iter()
        .enumerate()
        .map(|(column, qi)| Ladder::new(rows, column, qi))
        .collect();
    let levels = least_loss_levels(&ladders, rows.len(), k, k.max(rows.len() / 20));
    let keys: Vec<Vec<u32>> = (0..rows.len())
        .map(|row| key(&ladders, &levels, row))
        .collect();
    let suppressed_key: Vec<u32> = vec![SUPPRESSED_ID; ladders.len()];
    let keys = suppress_outliers(keys, &suppressed_key, k);
    let in_suppressed = keys.iter().filter(|key| **key == suppressed_key).count();
    // Even suppressed, they would be a group under k.
    let withhold = in_suppressed > 0 && in_suppressed < k;
    let every_column_suppressed = levels.iter().zip(&ladders).all(|(l, d)| *l == d.top());
    let published = keys
        .iter()
        .map(|key| {
            (!(withhold && *key == suppressed_key)).then(|| {
                key.iter()
                    .zip(&ladders)
                    .map(|(&id, ladder)| ladder.value(id).to_owned())
                    .collect()
            })
        })
        .collect();
    KAnonymous {
        rows: published,
        levels,
        // A column suppressed in every row says so in `levels`, not row by row.
        suppressed_rows: if withhold || every_column_suppressed {
            0
        } else {
            in_suppressed
        },
        withheld_rows: if withhold { in_suppressed } else { 0 },
    }
}

/// The id of [`SUPPRESSED`] in every ladder.
const SUPPRESSED_ID: u32 = u32::MAX;

/// One quasi-identifier's values at every level, as ids (one interned string each).
struct Ladder {
    /// `ids[level][row]`; the suppressed level is not stored.
    ids: Vec<Vec<u32>>,
    names: Vec<String>,
}

impl Ladder {
    fn new(rows: &[Vec<String>], column: usize, qi: &QuasiIdentifier) -> Ladder {
        let mut interner = Interner::default();
        let recorded: Vec<u32> = rows
            .iter()
            .map(|row| interner.intern(row.get(column).cloned().unwrap_or_default()))
            .collect();
        let mut ids = vec![recorded];
        for step in &qi.steps {
            let below = ids.last().map(Vec::as_slice).unwrap_or_default();
            // Each distinct value is generalised once.
            let mut mapped: HashMap<u32, u32> = HashMap::new();
            let mut level = Vec::with_capacity(below.len());
            for &id in below {
                let up = match mapped.get(&id) {
                    Some(&up) => up,
                    None => {
                        let coarser = (step.apply)(&interner.names[id as usize]);
                        let up = interner.intern(coarser);
                        mapped.insert(id, up);
                        up
                    }
                };
                level.push(up);
            }
            ids.push(level);
        }
        Ladder {
            ids,
            names: interner.names,
        }
    }

    /// The level at which every row is suppressed.
    fn top(&self) -> usize {
        self.ids.len()
    }

    fn id(&self, level: usize, row: usize) -> u32 {
        self.ids.get(level).map_or(SUPPRESSED_ID, |ids| ids[row])
    }

    fn value(&self, id: u32) -> &str {
        self.names
            .get(id as usize)
            .map_or(SUPPRESSED, String::as_str)
    }
}

/// Strings as small ids, so that groups are counted over numbers.
#[derive(Default)]
struct Interner {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, name: String) -> u32 {
        if let Some(&id) = self.ids.get(&name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.clone());
        self.ids.insert(name, id);
        id
    }
}

fn key(ladders: &[Ladder], levels: &[usize], row: usize) -> Vec<u32> {
    ladders
        .iter()
        .zip(levels)
        .map(|(ladder, &level)| ladder.id(level, row))
        .collect()
}

/// The levels of least loss that leave at most `budget` rows in groups under `k`.
fn least_loss_levels(ladders: &[Ladder], rows: usize, k: usize, budget: usize) -> Vec<usize> {
    // Rows recorded alike stay alike at every level: each combination is counted once.
    let zero = vec![0; ladders.len()];
    let mut alike: HashMap<Vec<u32>, (usize, usize)> = HashMap::new();
    for row in 0..rows {
        alike.entry(key(ladders, &zero, row)).or_insert((row, 0)).1 += 1;
    }
    let mut combinations: Vec<(usize, usize)> = alike.into_values().collect();
    combinations.sort_unstable();
    let tops: Vec<usize> = ladders.iter().map(Ladder::top).collect();
    let mut search = Search {
        ladders,
        combinations: &combinations,
        k,
        budget,
        // Losses as whole numbers: each level counted in parts of the product of the tops.
        whole: tops.iter().product(),
        levels: Vec::new(),
        // Every column suppressed leaves one group: under k only if all the rows are.
        best: (usize::MAX, usize::MAX, tops),
    };
    search.from(&vec![0; combinations.len()]);
    search.best.2
}

/// A branch-and-bound search of the levels, column by column. The levels chosen so far with
/// every later column suppressed are the coarsest choice that starts so: if it leaves too
/// many rows under k, so does every other, and the branch is dropped; so is one whose
/// loss, every later column as recorded, is already more than the best found.
struct Search<'a> {
    ladders: &'a [Ladder],
    /// A row of each combination of recorded values, and how many rows have it.
    combinations: &'a [(usize, usize)],
    k: usize,
    budget: usize,
    whole: usize,
    levels: Vec<usize>,
    /// Loss, rows under k, levels.
    best: (usize, usize, Vec<usize>),
}

impl Search<'_> {
    /// Goes on from `groups`: each combination's group with the levels chosen so far.
    fn from(&mut self, groups: &[u32]) {
        let under = rows_under_k(groups, self.combinations, self.k);
        if under > self.budget {
            return;
        }
        let column = self.levels.len();
        let Some(ladder) = self.ladders.get(column) else {
            let loss = self.loss();
            if (loss, under) < (self.best.0, self.best.1) {
                self.best = (loss, under, self.levels.clone());
            }
            return;
        };
        for level in 0..=ladder.top() {
            self.levels.push(level);
            if self.loss() <= self.best.0 {
                let refined = if level == ladder.top() {
                    groups.to_vec()
                } else {
                    refine(groups, ladder, level, self.combinations)
                };
                self.from(&refined);
            }
            self.levels.pop();
        }
    }

    /// The loss of the levels chosen so far (each column's level over its top, summed).
    fn loss(&self) -> usize {
        self.levels
            .iter()
            .zip(self.ladders)
            .map(|(level, ladder)| level * (self.whole / ladder.top()))
            .sum()
    }
}

/// The groups once one more column, at `level`, tells combinations apart.
fn refine(
    groups: &[u32],
    ladder: &Ladder,
    level: usize,
    combinations: &[(usize, usize)],
) -> Vec<u32> {
    let mut numbers: HashMap<(u32, u32), u32> = HashMap::with_capacity(groups.len());
    groups
        .iter()
        .zip(combinations)
        .map(|(&group, &(row, _))| {
            let next = numbers.len() as u32;
            *numbers
                .entry((group, ladder.id(level, row)))
                .or_insert(next)
        })
        .collect()
}

/// How many rows are in groups of fewer than `k`.
fn rows_under_k(groups: &[u32], combinations: &[(usize, usize)], k: usize) -> usize {
    let mut sizes = vec![0usize; groups.len()];
    for (&group, &(_, count)) in groups.iter().zip(combinations) {
        sizes[group as usize] += count;
    }
    sizes.into_iter().filter(|&size| size > 0 && size < k).sum()
}

/// Suppresses the quasi-identifiers of every row in a group under `k`. If that makes a
/// group of suppressed rows under `k`, groups that can spare rows (the largest first) give
/// them to it; if that is not enough, the caller withholds it.
fn suppress_outliers(mut keys: Vec<Vec<u32>>, suppressed: &[u32], k: usize) -> Vec<Vec<u32>> {
    let mut groups: HashMap<Vec<u32>, Vec<usize>> = HashMap::new();
    for (row, key) in keys.iter().enumerate() {
        groups.entry(key.clone()).or_default().push(row);
    }
    let mut in_suppressed = 0;
    let mut kept: Vec<Vec<usize>> = Vec::new();
    for (key, rows) in groups {
        if rows.len() < k || key == suppressed {
            in_suppressed += rows.len();
            for &row in &rows {
                keys[row] = suppressed.to_vec();
            }
        } else {
            kept.push(rows);
        }
    }
    if in_suppressed == 0 || in_suppressed >= k {
        return keys;
    }
    // Deterministic whatever the hash map's order: by size, then by first row.
    kept.sort_by_key(|rows| (std::cmp::Reverse(rows.len()), rows[0]));
    let spare: usize = kept.iter().map(|rows| rows.len() - k).sum();
    if in_suppressed + spare < k {
        return keys;
    }
    for rows in &mut kept {
        let given = (rows.len() - k).min(k - in_suppressed);
        for row in rows.split_off(rows.len() - given) {
            keys[row] = suppressed.to_vec();
        }
        in_suppressed += given;
        if in_suppressed >= k {
            break;
        }
    }
    keys
}

/// Which counts of a table, and of its totals, are suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// `cells[row][column]`, as the table was given.
    pub cells: Vec<Vec<bool>>,
    pub row_totals: Vec<bool>,
    pub column_totals: Vec<bool>,
    pub grand_total: bool,
}

/// Suppresses the counts of `cells` (rows of equal length, with their row, column and grand
/// totals published beside them) that are from 1 to `threshold - 1`, then as few and as
/// small other counts as it takes that no suppressed count follows from what is published.
///
/// Why this holds: take the table with its totals as a last row and column. Every row of it
/// sums to its total, so each suppressed count is an edge between its row and its column,
/// and the published counts fix the suppressed ones only where such an edge lies on no
/// cycle of suppressed edges: around a cycle, adding 1 and taking 1 alternately keeps every
/// sum, and keeps every count at 0 or more because no suppressed count is 0. So every
/// suppressed count is put on a cycle: the cheapest path of positive counts from its row
/// back to its column (by Dijkstra, the cost of a count its value, nothing once suppressed)
/// is suppressed too. One exists: a positive count's row total, column total and the grand
/// total are positive.
pub fn suppress_cells(cells: &[Vec<u64>], threshold: u64) -> Suppression {
    let rows = cells.len();
    let columns = cells.iter().map(Vec::len).max().unwrap_or(0);
    let grid = Grid::with_totals(cells, rows, columns);
    let mut suppressed: Vec<Vec<bool>> = grid
        .values
        .iter()
        .map(|row| row.iter().map(|&v| v > 0 && v < threshold).collect())
        .collect();
    while let Some((row, column)) = grid.exposed(&suppressed) {
        match grid.cheapest_cycle_path(&suppressed, row, column) {
            Some(path) => {
                for (r, c) in path {
                    suppressed[r][c] = true;
                }
            }
            // Cannot happen (see above); if it did, nothing positive is shown.
            None => {
                for (r, line) in suppressed.iter_mut().enumerate() {
                    for (c, cell) in line.iter_mut().enumerate() {
                        *cell = grid.values[r][c] > 0;
                    }
                }
                break;
            }
        }
    }
    Suppression {
        cells: (0..rows)
            .map(|r| suppressed[r][..columns].to_vec())
            .collect(),
        row_totals: (0..rows).map(|r| suppressed[r][columns]).collect(),
        column_totals: suppressed[rows][..columns].to_vec(),
        grand_total: suppressed[rows][columns],
    }
}

/// A table with its totals as a last column and a last row.
struct Grid {
    values: Vec<Vec<u64>>,
}

impl Grid {
    fn with_totals(cells: &[Vec<u64>], rows: usize, columns: usize) -> Grid {
        let mut values = vec![vec![0u64; columns + 1]; rows + 1];
        for (r, row) in cells.iter().enumerate() {
            for (c, &value) in row.iter().enumerate() {
                values[r][c] = value;
                values[r][columns] += value;
                values[rows][c] += value;
                values[rows][columns] += value;
            }
        }
        Grid { values }
    }

    fn rows(&self) -> usize {
        self.values.len()
    }

    fn columns(&self) -> usize {
        self.values.first().map_or(0, Vec::len)
    }

    /// A suppressed count on no cycle of suppressed counts: one the published ones fix.
    fn exposed(&self, suppressed: &[Vec<bool>]) -> Option<(usize, usize)> {
        (0..self.rows())
            .flat_map(|r| (0..self.columns()).map(move |c| (r, c)))
            .filter(|&(r, c)| suppressed[r][c])
            .find(|&(r, c)| !self.connected_without(suppressed, r, c))
    }

    /// Whether row `row` reaches column `column` through suppressed counts other than theirs.
    fn connected_without(&self, suppressed: &[Vec<bool>], row: usize, column: usize) -> bool {
        let rows = self.rows();
        // Nodes: rows 0..rows, then columns.
        let mut seen = vec![false; rows + self.columns()];
        let mut queue = VecDeque::from([row]);
        seen[row] = true;
        while let Some(node) = queue.pop_front() {
            if node == rows + column {
                return true;
            }
            for (next, r, c) in self.neighbours(node) {
                if suppressed[r][c] && (r, c) != (row, column) && !seen[next] {
                    seen[next] = true;
                    queue.push_back(next);
                }
            }
        }
        false
    }

    /// The counts at a node (a row's or a column's), each with the node across it.
    fn neighbours(&self, node: usize) -> Vec<(usize, usize, usize)> {
        let rows = self.rows();
        if node < rows {
            (0..self.columns()).map(|c| (rows + c, node, c)).collect()
        } else {
            let c = node - rows;
            (0..rows).map(|r| (r, r, c)).collect()
        }
    }

    /// The counts to suppress so that the count at (`row`, `column`) lies on a cycle: the
    /// cheapest path of positive counts from its row to its column, leaving it out.
    fn cheapest_cycle_path(
        &self,
        suppressed: &[Vec<bool>],
        row: usize,
        column: usize,
    ) -> Option<Vec<(usize, usize)>> {
        let rows = self.rows();
        let nodes = rows + self.columns();
        let cells = (nodes * nodes) as u64;
        // A new count costs its value, then one for each: small counts first, then few.
        let cost = |r: usize, c: usize| -> Option<u64> {
            if suppressed[r][c] {
                Some(0)
            } else if self.values[r][c] > 0 {
                Some(
                    self.values[r][c]
                        .saturating_mul(cells + 1)
                        .saturating_add(1),
                )
            } else {
                None
            }
        };
        let mut best = vec![u64::MAX; nodes];
        let mut came_by: Vec<Option<(usize, usize, usize)>> = vec![None; nodes];
        let mut done = vec![false; nodes];
        best[row] = 0;
        let target = rows + column;
        // The graph has a few dozen nodes: a scan for the nearest beats a heap.
        while let Some(node) = (0..nodes)
            .filter(|&n| !done[n] && best[n] < u64::MAX)
            .min_by_key(|&n| best[n])
        {
            if node == target {
                break;
            }
            done[node] = true;
            for (next, r, c) in self.neighbours(node) {
                if (r, c) == (row, column) || done[next] {
                    continue;
                }
                if let Some(step) = cost(r, c) {
                    let through = best[node].saturating_add(step);
                    if through < best[next] {
                        best[next] = through;
                        came_by[next] = Some((node, r, c));
                    }
                }
            }
        }
        let mut path = Vec::new();
        let mut node = target;
        while node != row {
            let (previous, r, c) = came_by[node]?;
            path.push((r, c));
            node = previous;
        }
        Some(path)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    /// `times` rows with these values.
    fn rows(values: &[&str], times: usize) -> Vec<Vec<String>> {
        vec![values.iter().map(|v| v.to_string()).collect(); times]
    }

    /// A column whose values coarsen to their first letter, then to one value.
    fn lettered(name: &str) -> QuasiIdentifier {
        QuasiIdentifier {
            name: name.into(),
            steps: vec![
                Generalisation::new("value -> first letter", |v| v.chars().take(1).collect()),
                Generalisation::new("first letter -> any", |_| "any".into()),
            ],
        }
    }

    /// The sizes of the groups of published rows with the same quasi-identifiers.
    fn group_sizes(published: &KAnonymous) -> Vec<usize> {
        let mut groups: HashMap<&Vec<String>, usize> = HashMap::new();
        for row in published.rows.iter().flatten() {
            *groups.entry(row).or_default() += 1;
        }
        groups.into_values().collect()
    }

    #[test]
    fn rows_already_in_groups_of_k_are_published_as_recorded() {
        let mut input = rows(&["2025", "F"], 11);
        input.extend(rows(&["2026", "M"], 12));
        let out = k_anonymise(&input, &[lettered("year"), lettered("gender")], 11);
        assert_eq!(out.levels, vec![0, 0]);
        assert_eq!(out.suppressed_rows, 0);
        assert_eq!(out.withheld_rows, 0);
        assert_eq!(out.rows, input.into_iter().map(Some).collect::<Vec<_>>());
    }

    #[test]
    fn a_column_too_fine_for_k_is_coarsened_for_everyone() {
        // Ages 30 to 39 and 40 to 49, two of each: no group of 11 until the decade.
        let input: Vec<Vec<String>> = (0..40)
            .map(|n| vec![format!("{}", 30 + n % 20), "F".into()])
            .collect();
        let out = k_anonymise(&input, &[lettered("age"), lettered("gender")], 11);
        assert_eq!(out.levels, vec![1, 0], "{out:?}");
        assert!(
            out.rows
                .iter()
                .flatten()
                .all(|r| r[0] == "3" || r[0] == "4")
        );
        assert!(group_sizes(&out).iter().all(|&size| size >= 11));
    }

    #[test]
    fn a_few_outliers_are_suppressed_and_made_up_to_k_from_a_large_group() {
        let mut input = rows(&["PE", "F"], 30);
        input.extend(rows(&["HT", "M"], 1));
        input.extend(rows(&["CN", "TF"], 1));
        let out = k_anonymise(&input, &[lettered("citizenship"), lettered("gender")], 11);
        assert_eq!(out.levels, vec![0, 0]);
        // The two outliers and nine rows of the 30, so both groups keep 11 or more.
        assert_eq!(out.suppressed_rows, 11);
        assert_eq!(out.withheld_rows, 0);
        let suppressed = vec![SUPPRESSED.to_owned(), SUPPRESSED.to_owned()];
        assert_eq!(
            out.rows
                .iter()
                .flatten()
                .filter(|r| **r == suppressed)
                .count(),
            11
        );
        assert!(group_sizes(&out).iter().all(|&size| size >= 11));
    }

    #[test]
    fn fewer_rows_than_k_are_all_withheld() {
        let input = rows(&["2025", "F"], 10);
        let out = k_anonymise(&input, &[lettered("year"), lettered("gender")], 11);
        assert_eq!(out.withheld_rows, 10);
        assert!(out.rows.iter().all(Option::is_none));
    }

    #[test]
    fn a_lone_cell_under_the_threshold_takes_the_smallest_other_cell_of_its_row() {
        // One row, as a list of counts with its total: 4 | 30 | 12.
        let out = suppress_cells(&[vec![4, 30, 12]], 11);
        assert_eq!(out.cells, vec![vec![true, false, true]]);
        // Each cell is its own column's total, so those go as well.
        assert_eq!(out.column_totals, vec![true, false, true]);
        assert!(!out.row_totals[0] && !out.grand_total);
    }

    #[test]
    fn zeros_and_counts_of_k_or_more_are_shown() {
        let out = suppress_cells(&[vec![0, 11], vec![25, 0]], 11);
        assert!(out.cells.iter().flatten().all(|s| !s));
        assert!(out.row_totals.iter().chain(&out.column_totals).all(|s| !s));
    }

    /// The constraints a reader of the table has: every row of the table with its totals,
    /// and every column, sums to its total. Unknowns are the suppressed counts.
    fn is_determined(suppressed: &[Vec<bool>], target: (usize, usize)) -> bool {
        let rows = suppressed.len();
        let columns = suppressed[0].len();
        let unknowns: Vec<(usize, usize)> = (0..rows)
            .flat_map(|r| (0..columns).map(move |c| (r, c)))
            .filter(|&(r, c)| suppressed[r][c])
            .collect();
        let mut equations: Vec<Vec<f64>> = Vec::new();
        for r in 0..rows {
            equations.push(
                unknowns
                    .iter()
                    .map(|&(ur, uc)| match (ur == r, uc == columns - 1) {
                        (true, false) => 1.0,
                        (true, true) => -1.0,
                        _ => 0.0,
                    })
                    .collect(),
            );
        }
        for c in 0..columns {
            equations.push(
                unknowns
                    .iter()
                    .map(|&(ur, uc)| match (uc == c, ur == rows - 1) {
                        (true, false) => 1.0,
                        (true, true) => -1.0,
                        _ => 0.0,
                    })
                    .collect(),
            );
        }
        let at = unknowns.iter().position(|&u| u == target).unwrap();
        let without: Vec<Vec<f64>> = equations
            .iter()
            .map(|e| {
                e.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != at)
                    .map(|(_, v)| *v)
                    .collect()
            })
            .collect();
        // Fixed by the equations exactly when its column is independent of the others.
        rank(equations) > rank(without)
    }

    fn rank(mut m: Vec<Vec<f64>>) -> usize {
        let columns = m.first().map_or(0, Vec::len);
        let mut rank = 0;
        for c in 0..columns {
            let Some(pivot) = (rank..m.len()).find(|&r| m[r][c].abs() > 1e-9) else {
                continue;
            };
            m.swap(rank, pivot);
            let pivot_row = m[rank].clone();
            for (r, row) in m.iter_mut().enumerate() {
                if r != rank && row[c].abs() > 1e-9 {
                    let factor = row[c] / pivot_row[c];
                    for (value, below) in row.iter_mut().zip(&pivot_row) {
                        *value -= factor * below;
                    }
                }
            }
            rank += 1;
        }
        rank
    }

    fn count() -> impl Strategy<Value = u64> {
        prop_oneof![3 => Just(0u64), 4 => 1u64..11, 3 => 11u64..80]
    }

    fn table() -> impl Strategy<Value = Vec<Vec<u64>>> {
        (1usize..6, 1usize..6).prop_flat_map(|(rows, columns)| {
            proptest::collection::vec(proptest::collection::vec(count(), columns), rows)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn no_suppressed_count_follows_from_the_published_ones(cells in table()) {
            let out = suppress_cells(&cells, 11);
            let grid = Grid::with_totals(&cells, cells.len(), cells[0].len());
            let mut suppressed: Vec<Vec<bool>> = out
                .cells
                .iter()
                .zip(&out.row_totals)
                .map(|(row, total)| row.iter().copied().chain([*total]).collect())
                .collect();
            suppressed.push(out.column_totals.iter().copied().chain([out.grand_total]).collect());
            for (r, line) in grid.values.iter().enumerate() {
                for (c, &value) in line.iter().enumerate() {
                    if value > 0 && value < 11 {
                        prop_assert!(suppressed[r][c], "count {value} at {r},{c} shown");
                    }
                    if suppressed[r][c] {
                        prop_assert!(value > 0, "a zero suppressed at {r},{c}");
                        prop_assert!(
                            !is_determined(&suppressed, (r, c)),
                            "count {value} at {r},{c} follows from the table: {cells:?} {out:?}"
                        );
                    }
                }
            }
            // The usual check, implied by the one above: no line has a single one.
            for line in &suppressed {
                prop_assert!(line.iter().filter(|s| **s).count() != 1);
            }
            for c in 0..suppressed[0].len() {
                prop_assert!(suppressed.iter().filter(|line| line[c]).count() != 1);
            }
        }

        #[test]
        fn every_published_combination_is_shared_by_k_rows(
            input in proptest::collection::vec(
                proptest::collection::vec(prop_oneof!["a[a-c]", "b[a-z]", "[c-z][a-z]"], 3),
                0..250,
            ),
            k in 2usize..15,
        ) {
            let qis = [lettered("one"), lettered("two"), lettered("three")];
            let out = k_anonymise(&input, &qis, k);
            prop_assert_eq!(out.rows.len(), input.len());
            prop_assert!(group_sizes(&out).iter().all(|&size| size >= k), "{out:?}");
            prop_assert!(out.withheld_rows < k);
            prop_assert_eq!(out.rows.iter().filter(|r| r.is_none()).count(), out.withheld_rows);
            // What is published is the recorded value, coarsened as the levels say, or
            // suppressed: never another row's.
            for (row, published) in input.iter().zip(&out.rows) {
                let Some(published) = published else { continue };
                for (c, qi) in qis.iter().enumerate() {
                    let mut value = row[c].clone();
                    for step in qi.steps.iter().take(out.levels[c]) {
                        value = (step.apply)(&value);
                    }
                    prop_assert!(published[c] == value || published[c] == SUPPRESSED);
                }
            }
        }
    }
}
