//! Data masking and the mask penalty of ISO/IEC 18004 section 7.8.3, evaluated bit-parallel.
//!
//! The rules along a line (N1, N3) are evaluated for all lines at once: cross line `k` is the
//! bitset of module `k` of every line (for the rules along the rows: column `k`, bit `y`), and
//! each rule becomes an AND of cross lines `k`, `k + 1`, ... with no shifts. Where twice the
//! side fits the cross line type (`u128` up to version 11, a 192-bit [`Bits`] up to version
//! 19), column `k` and row `k` share one cross line, so the rules along the rows and along the
//! columns are one pass. Five light cross lines before and eleven after stand for the light
//! modules beyond the edges.
//!
//! * N1 (runs of 5 or more of one colour, 3 points plus 1 per module beyond 5): a run of
//!   length `L` has `L - 4` windows of 5 equal modules and one window that starts the run, so
//!   N1 = windows + 2 x run starts, for dark and light modules at once (`!(a ^ b)`: equal);
//! * N2 (2x2 blocks of one colour, 3 points each), on the rows: rows `a`, `b`: `!(a ^ b)`
//!   equal vertically, `!(a ^ a >> 1)` equal horizontally;
//! * N3 (1:1:3:1:1 finder-like pattern with 4 light modules before or after, 40 points each
//!   side): the pattern `L D L DDD L D L` plus `LLL` on either side, tested at every position
//!   of every line at once. The standard states a ratio, so `2:2:6:2:2` and wider count as
//!   well: only where the exact `2:2:6:2:2` runs or a dark run of 9 or more behind 3 light
//!   modules occur (rare) is the line scanned run by run;
//! * N4 (balance): the number of dark modules, by `count_ones`.
//!
//! Beyond the edges everything is light, the format information for the candidate mask is
//! drawn before scoring, and the first mask of the lowest score wins: the reading of the
//! standard that the reference encoder `qrcodegen` implements. A candidate stops being scored
//! once its partial score reaches the best so far.

use std::ops::{BitAnd, BitOr, BitXor, Not, Shl, Shr};

use crate::EcLevel;
use crate::qr::{Grid, format_bits, format_positions};

/// A 192-bit set: bit `i` is bit `i % 64` of word `i / 64`. Holds one row or column of any
/// QR version (at most 177 modules) with room for the light border the penalty needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(crate) struct Bits(pub(crate) [u64; 3]);

impl Bits {
    /// No bit set.
    pub(crate) const ZERO: Bits = Bits([0; 3]);

    /// Bits `0..n` set (`n <= 192`).
    pub(crate) const fn low(n: usize) -> Bits {
        let mut w = [0u64; 3];
        let mut i = 0;
        while i < 3 {
            let lo = i * 64;
            w[i] = if n >= lo + 64 {
                u64::MAX
            } else if n > lo {
                (1u64 << (n - lo)) - 1
            } else {
                0
            };
            i += 1;
        }
        Bits(w)
    }

    /// Whether bit `i` is set (false beyond 192).
    pub(crate) fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| (w >> (i % 64)) & 1 != 0)
    }

    /// Sets or clears bit `i` (ignored beyond 192).
    pub(crate) fn put(&mut self, i: usize, on: bool) {
        if let Some(w) = self.0.get_mut(i / 64) {
            let b = 1u64 << (i % 64);
            if on {
                *w |= b;
            } else {
                *w &= !b;
            }
        }
    }

    /// The lowest set bit at or above `from`.
    pub(crate) fn next_one(&self, from: usize) -> Option<usize> {
        let mut i = from / 64;
        let mut w = self.0.get(i)? & (u64::MAX << (from % 64));
        loop {
            if w != 0 {
                return Some(i * 64 + w.trailing_zeros() as usize);
            }
            i += 1;
            w = *self.0.get(i)?;
        }
    }

    /// Number of set bits.
    pub(crate) fn ones(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
}

impl BitAnd for Bits {
    type Output = Bits;
    fn bitand(self, o: Bits) -> Bits {
        Bits([self.0[0] & o.0[0], self.0[1] & o.0[1], self.0[2] & o.0[2]])
    }
}
impl BitOr for Bits {
    type Output = Bits;
    fn bitor(self, o: Bits) -> Bits {
        Bits([self.0[0] | o.0[0], self.0[1] | o.0[1], self.0[2] | o.0[2]])
    }
}
impl BitXor for Bits {
    type Output = Bits;
    fn bitxor(self, o: Bits) -> Bits {
        Bits([self.0[0] ^ o.0[0], self.0[1] ^ o.0[1], self.0[2] ^ o.0[2]])
    }
}
impl Not for Bits {
    type Output = Bits;
    fn not(self) -> Bits {
        Bits([!self.0[0], !self.0[1], !self.0[2]])
    }
}
impl Shl<u32> for Bits {
    type Output = Bits;
    /// Shift towards higher bits by `n < 64`.
    fn shl(self, n: u32) -> Bits {
        if n == 0 {
            return self;
        }
        let [a, b, c] = self.0;
        Bits([
            a << n,
            (b << n) | (a >> (64 - n)),
            (c << n) | (b >> (64 - n)),
        ])
    }
}
impl Shr<u32> for Bits {
    type Output = Bits;
    /// Shift towards lower bits by `n < 64`.
    fn shr(self, n: u32) -> Bits {
        if n == 0 {
            return self;
        }
        let [a, b, c] = self.0;
        Bits([
            (a >> n) | (b << (64 - n)),
            (b >> n) | (c << (64 - n)),
            c >> n,
        ])
    }
}

/// What the penalty needs of a line type.
trait Line:
    Copy
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + BitXor<Output = Self>
    + Not<Output = Self>
    + Shr<u32, Output = Self>
{
    /// Width in bits.
    const BITS: usize;
    fn from_bits(b: Bits) -> Self;
    fn low(n: usize) -> Self;
    fn count(self) -> u32;
    fn is_empty(self) -> bool;
    fn to_bits(self) -> Bits;
}

impl Line for u128 {
    const BITS: usize = 128;
    fn from_bits(b: Bits) -> u128 {
        u128::from(b.0[0]) | (u128::from(b.0[1]) << 64)
    }
    fn low(n: usize) -> u128 {
        if n >= 128 {
            u128::MAX
        } else {
            (1u128 << n) - 1
        }
    }
    fn count(self) -> u32 {
        self.count_ones()
    }
    fn is_empty(self) -> bool {
        self == 0
    }
    fn to_bits(self) -> Bits {
        Bits([self as u64, (self >> 64) as u64, 0])
    }
}

impl Line for Bits {
    const BITS: usize = 192;
    fn from_bits(b: Bits) -> Bits {
        b
    }
    fn low(n: usize) -> Bits {
        Bits::low(n)
    }
    fn count(self) -> u32 {
        self.ones()
    }
    fn is_empty(self) -> bool {
        self == Bits::ZERO
    }
    fn to_bits(self) -> Bits {
        self
    }
}

/// Whether mask pattern `m` (table 10) inverts the module at column `x`, row `y`.
pub(crate) const fn inverts(m: usize, x: usize, y: usize) -> bool {
    match m {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// Every mask pattern repeats with period 12 in `y` (and 6 in `x`): `ROWS[m][y % 12]` has bit
/// `x` set where mask `m` inverts (x, y); `COLS[m][x % 12]` has bit `y` set likewise.
const fn mask_table(transposed: bool) -> [[Bits; 12]; 8] {
    let mut t = [[Bits::ZERO; 12]; 8];
    let mut m = 0;
    while m < 8 {
        let mut r = 0;
        while r < 12 {
            let mut i = 0;
            while i < 192 {
                let on = if transposed {
                    inverts(m, r, i)
                } else {
                    inverts(m, i, r)
                };
                if on {
                    t[m][r].0[i / 64] |= 1u64 << (i % 64);
                }
                i += 1;
            }
            r += 1;
        }
        m += 1;
    }
    t
}

const MASK_ROWS: [[Bits; 12]; 8] = mask_table(false);
const MASK_COLS: [[Bits; 12]; 8] = mask_table(true);

/// Applies mask `m` to the lines of `g` (rows if `!cols`) into `out`, with the format
/// information for `m` drawn.
fn masked(g: &Grid, f: &Grid, ec: EcLevel, m: usize, cols: bool, out: &mut Vec<Bits>) {
    let (src, fun, table) = if cols {
        (&g.cols, &f.cols, &MASK_COLS[m])
    } else {
        (&g.rows, &f.rows, &MASK_ROWS[m])
    };
    // The mask tables cover 192 bits: keep only the symbol's.
    let inside = Bits::low(g.size);
    out.clear();
    out.extend(
        src.iter()
            .zip(fun)
            .enumerate()
            .map(|(i, (&l, &fl))| l ^ (table[i % 12] & !fl & inside)),
    );
    let fb = format_bits(ec, m as u32);
    for copy in format_positions(g.size) {
        for (i, (x, y)) in copy.into_iter().enumerate() {
            let on = (fb >> i) & 1 != 0;
            let (line, bit) = if cols { (x, y) } else { (y, x) };
            if let Some(l) = out.get_mut(line) {
                l.put(bit, on);
            }
        }
    }
}

/// Light cross lines before the first of a padded array (see [`cross_rules`]).
const PAD_BEFORE: usize = 5;
/// Light cross lines after the last of a padded array.
const PAD_AFTER: usize = 11;

/// N1 (runs) and N3 (finder-like patterns) along lines, all lines at once.
///
/// `cross[PAD_BEFORE + k]` holds module `k` of every line (bit `j` for line `j`), with
/// `PAD_BEFORE` all-light entries before and `PAD_AFTER` after: the light modules beyond the
/// edges that N3 assumes. Each rule is then an AND of whole cross lines `k`, `k + 1`, ...: no
/// shifts. `full` has the bits of real lines set; `line(j)` returns line `j` as a bitset
/// (bit `k` = module `k`), for the rare wide finder-like candidates.
fn cross_rules<L: Line>(
    cross: &[L],
    full: L,
    size: usize,
    line: impl Fn(usize) -> Option<Bits>,
) -> u32 {
    let zero = L::low(0);
    let inside = cross.get(PAD_BEFORE..PAD_BEFORE + size).unwrap_or(&[]);
    let mut n1 = 0;
    let mut n3 = 0;

    // N1: a run of L >= 5 equal modules has L - 4 windows of 5 and one start: L - 2 points
    // = windows + 2 x starts. es[i]: modules k - 3 + i and k - 2 + i equal (inside only).
    let mut e_prev = zero;
    let mut es = [zero; 4];
    for (k, w) in inside.windows(2).enumerate() {
        let Some(&[a, b]) = w.first_chunk::<2>() else {
            break;
        };
        es = [es[1], es[2], es[3], !(a ^ b) & full];
        if k >= 3 {
            let win = es[0] & es[1] & es[2] & es[3];
            if !win.is_empty() {
                n1 += win.count() + 2 * (win & !e_prev).count();
            }
            e_prev = es[0];
        }
    }

    // N3 at module width 1: L D L DDD L D L at k - 1 ..= k + 7, and 3 more light modules
    // before or after; `w[i]` is cross line `k + i - 5`.
    for (k, w) in cross.windows(16).take(size - 6).enumerate() {
        let Some(w) = w.first_chunk::<16>() else {
            break;
        };
        let d = |i: usize| w[i];
        let l = |i: usize| !w[i];
        let core = d(5) & l(4) & l(6) & d(7) & d(8) & d(9) & l(10) & d(11) & l(12);
        if !core.is_empty() {
            let before = core & l(3) & l(2) & l(1);
            let after = core & l(13) & l(14) & l(15);
            n3 += before.count() + after.count();
        }
        // Width 2 and more: a dark run of 6+ behind 2 light modules, then either the exact
        // 2:2:6:2:2 runs or a dark run of 9+ behind 3 light modules; only those lines are
        // scanned run by run (rare in data).
        let wide = d(5) & d(6) & d(7) & d(8) & d(9) & d(10) & l(4) & l(3);
        if !wide.is_empty() {
            let two = wide & d(2) & d(1) & l(0) & l(11) & l(12) & d(13) & d(14) & l(15);
            let three = wide & l(2) & d(11) & d(12) & d(13);
            let cand = (two | three).to_bits();
            let mut from = 0;
            while let Some(j) = cand.next_one(from) {
                if let Some(line) = line(j) {
                    n3 += wide_finder_at(line, size, k);
                }
                from = j + 1;
            }
        }
    }
    n1 + 40 * n3
}

/// N2 (2x2 blocks of one colour, 3 points each) and N4 (balance) from the rows.
fn blocks_and_balance<L: Line>(rows: &[Bits], size: usize) -> u32 {
    let full = L::low(size);
    let mut blocks = 0;
    let mut dark = 0;
    for w in rows.windows(2) {
        let Some(&[a, b]) = w.first_chunk::<2>() else {
            break;
        };
        let (a, b) = (L::from_bits(a), L::from_bits(b));
        dark += a.count();
        let e = !(a ^ b) & full;
        blocks += (e & (e >> 1) & !(a ^ (a >> 1))).count();
    }
    if let Some(&last) = rows.last() {
        dark += last.count();
    }
    // N4: the smallest k with (45 - 5k) % <= dark share <= (55 + 5k) %.
    let total = (size * size) as u32;
    let k = (dark * 20).abs_diff(total * 10).div_ceil(total) - 1;
    3 * blocks + 10 * k
}

/// Scratch space for [`penalty_below`]: the padded cross lines.
struct Scratch<L> {
    cross: Vec<L>,
}

impl<L: Line> Scratch<L> {
    fn new(size: usize) -> Scratch<L> {
        Scratch {
            cross: vec![L::low(0); PAD_BEFORE + size + PAD_AFTER],
        }
    }
}

/// `b` moved up by `off` bits (`off` in `1..192`); bits beyond 192 are lost.
fn moved_up(b: Bits, off: usize) -> Bits {
    let (q, r) = (off / 64, (off % 64) as u32);
    let word = |i: usize| if i < 3 { b.0[i] } else { 0 };
    let mut out = [0u64; 3];
    for (i, o) in out.iter_mut().enumerate().skip(q) {
        let lo = i - q;
        *o = word(lo) << r;
        if r > 0 && lo >= 1 {
            *o |= word(lo - 1) >> (64 - r);
        }
    }
    Bits(out)
}

/// The penalty of a masked symbol given as rows and columns, or `None` as soon as it is known
/// to be at least `bound` (an equal score loses to the earlier mask).
///
/// Where two sides fit the cross line type (`2 * size <= bits of L`), rows and columns are
/// scored in one pass: cross line `k` holds column `k` in bits `0..size` and row `k` from bit
/// `off` on, so the rules along the rows and along the columns share every operation.
fn penalty_below<L: Line>(
    rows: &[Bits],
    cols: &[Bits],
    size: usize,
    bound: u32,
    scratch: &mut Scratch<L>,
) -> Option<u32> {
    let mut p = if size <= 128 {
        blocks_and_balance::<u128>(rows, size)
    } else {
        blocks_and_balance::<Bits>(rows, size)
    };
    let lanes = L::BITS;
    let inside = scratch.cross.get_mut(PAD_BEFORE..PAD_BEFORE + size)?;
    if 2 * size <= lanes {
        let off = lanes / 2;
        for ((x, &c), &r) in inside.iter_mut().zip(cols).zip(rows) {
            *x = L::from_bits(c | moved_up(r, off));
        }
        let full = L::from_bits(Bits::low(size) | moved_up(Bits::low(size), off));
        p += cross_rules(&scratch.cross, full, size, |j| {
            if j < off {
                rows.get(j).copied()
            } else {
                cols.get(j - off).copied()
            }
        });
    } else {
        let full = L::low(size);
        for (x, &c) in inside.iter_mut().zip(cols) {
            *x = L::from_bits(c);
        }
        p += cross_rules(&scratch.cross, full, size, |j| rows.get(j).copied());
        if p >= bound {
            return None;
        }
        let inside = scratch.cross.get_mut(PAD_BEFORE..PAD_BEFORE + size)?;
        for (x, &r) in inside.iter_mut().zip(rows) {
            *x = L::from_bits(r);
        }
        p += cross_rules(&scratch.cross, full, size, |j| cols.get(j).copied());
    }
    (p < bound).then_some(p)
}

/// Finder-like patterns of module width `n >= 2` whose `3n` dark run starts at module `q` of
/// `line` (`size` modules; light beyond the edges), counted as `qrcodegen` counts them: 1 if
/// 4n light modules precede it and n follow, 1 if n precede and 4n follow.
fn wide_finder_at(line: Bits, size: usize, q: usize) -> u32 {
    let size = size as isize;
    let dark = |i: isize| (0..size).contains(&i) && line.get(i as usize);
    // Modules of one colour from `from` on in direction `step`, at most `cap`.
    let run = |from: isize, step: isize, color: bool, cap: isize| -> isize {
        let mut k = 0;
        while k < cap && dark(from + k * step) == color {
            k += 1;
        }
        k
    };
    let q = q as isize;
    let big = run(q, 1, true, size);
    if big < 6 || big % 3 != 0 {
        return 0;
    }
    let n = big / 3;
    if run(q - 1, -1, false, n + 1) != n
        || run(q - n - 1, -1, true, n + 1) != n
        || run(q + 3 * n, 1, false, n + 1) != n
        || run(q + 4 * n, 1, true, n + 1) != n
    {
        return 0;
    }
    let before = run(q - 2 * n - 1, -1, false, 4 * n);
    let after = run(q + 5 * n, 1, false, 4 * n);
    u32::from(before >= 4 * n && after >= n) + u32::from(after >= 4 * n && before >= n)
}

/// The penalty score of a masked symbol given as rows and columns.
#[cfg(test)]
fn penalty<L: Line>(rows: &[Bits], cols: &[Bits], size: usize) -> u32 {
    penalty_below(rows, cols, size, u32::MAX, &mut Scratch::<L>::new(size)).unwrap_or(u32::MAX)
}

/// Tries the eight masks on the unmasked symbol `g` (function modules marked in `f`) and
/// returns the first with the lowest penalty, and the symbol's rows with it applied.
pub(crate) fn apply_best(g: &Grid, f: &Grid, ec: EcLevel) -> (usize, Vec<Bits>) {
    if 2 * g.size <= 128 {
        apply_best_as::<u128>(g, f, ec)
    } else {
        apply_best_as::<Bits>(g, f, ec)
    }
}

fn apply_best_as<L: Line>(g: &Grid, f: &Grid, ec: EcLevel) -> (usize, Vec<Bits>) {
    let size = g.size;
    let mut rows = Vec::with_capacity(size);
    let mut cols = Vec::with_capacity(size);
    let mut scratch = Scratch::<L>::new(size);
    let mut best = (u32::MAX, 0);
    for m in 0..8 {
        masked(g, f, ec, m, false, &mut rows);
        masked(g, f, ec, m, true, &mut cols);
        if let Some(p) = penalty_below(&rows, &cols, size, best.0, &mut scratch) {
            best = (p, m);
        }
    }
    masked(g, f, ec, best.1, false, &mut rows);
    (best.1, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The penalty as qrcodegen computes it, module by module.
    fn reference(m: &[Vec<bool>]) -> u32 {
        let size = m.len();
        let mut result = 0u32;
        let get = |x: usize, y: usize, t: bool| if t { m[x][y] } else { m[y][x] };
        for t in [false, true] {
            for y in 0..size {
                let mut color = false;
                let mut run = 0usize;
                let mut h = [0usize; 7];
                let add = |h: &mut [usize; 7], mut len: usize| {
                    if h[0] == 0 {
                        len += size;
                    }
                    h.copy_within(0..6, 1);
                    h[0] = len;
                };
                let count = |h: &[usize; 7]| -> u32 {
                    let n = h[1];
                    let core = n > 0 && h[2] == n && h[3] == 3 * n && h[4] == n && h[5] == n;
                    u32::from(core && h[0] >= 4 * n && h[6] >= n)
                        + u32::from(core && h[6] >= 4 * n && h[0] >= n)
                };
                for x in 0..size {
                    if get(x, y, t) == color {
                        run += 1;
                        if run == 5 {
                            result += 3;
                        } else if run > 5 {
                            result += 1;
                        }
                    } else {
                        add(&mut h, run);
                        if !color {
                            result += 40 * count(&h);
                        }
                        color = get(x, y, t);
                        run = 1;
                    }
                }
                if color {
                    add(&mut h, run);
                    run = 0;
                }
                add(&mut h, run + size);
                result += 40 * count(&h);
            }
        }
        let mut dark = 0u32;
        for y in 0..size {
            for x in 0..size {
                dark += u32::from(m[y][x]);
                if x + 1 < size
                    && y + 1 < size
                    && m[y][x] == m[y][x + 1]
                    && m[y][x] == m[y + 1][x]
                    && m[y][x] == m[y + 1][x + 1]
                {
                    result += 3;
                }
            }
        }
        let total = (size * size) as u32;
        result + 10 * ((dark * 20).abs_diff(total * 10).div_ceil(total) - 1)
    }

    fn lines(m: &[Vec<bool>]) -> (Vec<Bits>, Vec<Bits>) {
        let size = m.len();
        let mut rows = vec![Bits::ZERO; size];
        let mut cols = vec![Bits::ZERO; size];
        for y in 0..size {
            for x in 0..size {
                rows[y].put(x, m[y][x]);
                cols[x].put(y, m[y][x]);
            }
        }
        (rows, cols)
    }

    /// A small xorshift generator: the tests need no cryptographic randomness.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn bit_parallel_penalty_equals_module_by_module() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for case in 0..400 {
            let size = 21 + 4 * (case % 40);
            // Runs of random width, so that wide 1:1:3:1:1 patterns and long runs occur.
            let mut m = vec![vec![false; size]; size];
            for row in m.iter_mut() {
                let mut x = 0;
                while x < size {
                    let r = next(&mut state);
                    let width = 1 + (r % if case % 3 == 0 { 3 } else { 1 }) as usize;
                    let dark = (r >> 8) & 1 == 1;
                    for cell in row.iter_mut().skip(x).take(width) {
                        *cell = dark;
                    }
                    x += width;
                }
            }
            // Plant a 2:2:6:2:2 and a 3:3:9:3:3 pattern in rows and columns.
            for (n, at) in [(2usize, 1usize), (3, size / 2)] {
                if at + 7 * n + 4 * n <= size {
                    for (i, dark) in [false; 4]
                        .iter()
                        .chain(&[true, false, true, true, true, false, true, false])
                        .enumerate()
                    {
                        for k in 0..n {
                            let x = i.saturating_sub(4) * n + i.min(4) * n + k;
                            if x < size {
                                m[at][x] = *dark;
                                m[x][at] = *dark;
                            }
                        }
                    }
                }
            }
            let (rows, cols) = lines(&m);
            let want = reference(&m);
            assert_eq!(penalty::<Bits>(&rows, &cols, size), want, "case {case}");
            if size <= 117 {
                assert_eq!(penalty::<u128>(&rows, &cols, size), want, "case {case}");
            }
        }
    }

    #[test]
    fn shifts_cross_words() {
        let mut b = Bits::ZERO;
        b.put(63, true);
        b.put(127, true);
        assert!((b << 1).get(64) && (b << 1).get(128));
        assert!((b >> 1).get(62) && (b >> 1).get(126));
        assert_eq!(b.next_one(0), Some(63));
        assert_eq!(b.next_one(64), Some(127));
        assert_eq!(b.next_one(128), None);
    }
}
