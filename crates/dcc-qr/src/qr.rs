//! QR symbol encoding (alphanumeric mode only), written for what HCERT needs.
//!
//! The encoder is our own rather than a crate's: the well-kept Rust encoders (`fast_qr`,
//! `qrcode`, `qrcodegen`) score the eight mask candidates module by module, which made the mask
//! choice about 90 % of the cost of a certificate's QR code. Here the symbol is kept as one
//! bitset per row and per column, and every penalty rule of ISO/IEC 18004 section 7.8.3 (N1 runs,
//! N2 2x2 blocks, N3 finder-like 1:1:3:1:1 patterns, N4 dark/light balance) is evaluated on all
//! rows and columns at once with ANDs of whole bitsets (see `src/mask.rs`). What does not depend
//! on the data is computed once per version: the function patterns and the module of every
//! codeword bit (most codewords fill a 2 x 4 block and are placed a column nibble at a time;
//! the rows are then the transposed columns). Reed-Solomon shifts a 32-byte register and
//! subtracts the generator times the leading byte from a table built once per degree.
//!
//! What is built: one alphanumeric segment, every version 1-40, levels L/M/Q/H, Reed-Solomon
//! error correction over GF(256) (polynomial 0x11D) with log/antilog tables, block
//! interleaving, finder/timing/alignment patterns, format and version information, and the
//! mask with the lowest penalty (the first of equal ones). The penalty follows the standard as
//! the reference encoder `qrcodegen` reads it (light modules assumed beyond the symbol edge, the
//! format information drawn before scoring, the 1:1:3:1:1 ratio at any module width, and
//! N4 = 10 points per full 5 % step away from 50 %); tests/encoder.rs checks the same version,
//! mask and matrix as `qrcodegen` on 10,000 random HC1 strings (13,000 codes), and the same
//! matrix as `fast_qr` given the same mask on 4,000 of those codes. `fast_qr` and `qrcode` choose
//! another mask in some cases because their penalties deviate from the standard (see
//! crates/dcc-qr/README.md).

use std::fmt;
use std::sync::OnceLock;

use crate::EncodeError;
use crate::mask::{self, Bits};

/// QR error correction level.
///
/// The default is [`EcLevel::Q`], the level recommended by the HCERT
/// specification for EU Digital COVID Certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EcLevel {
    /// Low: about 7 % of the codewords can be restored.
    L,
    /// Medium: about 15 % of the codewords can be restored.
    M,
    /// Quartile: about 25 % of the codewords can be restored (HCERT recommendation).
    #[default]
    Q,
    /// High: about 30 % of the codewords can be restored.
    H,
}

impl EcLevel {
    /// All levels, from lowest to highest redundancy.
    pub const ALL: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

    /// Maximum number of alphanumeric characters a version 40 QR code holds at
    /// this level (ISO/IEC 18004 table 7).
    pub const fn max_alphanumeric_len(self) -> usize {
        match self {
            EcLevel::L => 4296,
            EcLevel::M => 3391,
            EcLevel::Q => 2420,
            EcLevel::H => 1852,
        }
    }

    /// Row index into the block tables.
    const fn index(self) -> usize {
        match self {
            EcLevel::L => 0,
            EcLevel::M => 1,
            EcLevel::Q => 2,
            EcLevel::H => 3,
        }
    }

    /// The two error correction bits of the format information (table 12).
    const fn format_bits(self) -> u32 {
        match self {
            EcLevel::L => 1,
            EcLevel::M => 0,
            EcLevel::Q => 3,
            EcLevel::H => 2,
        }
    }
}

/// Returns `true` if `c` belongs to the QR alphanumeric character set
/// (`0-9`, `A-Z`, space and `$%*+-./:`).
pub const fn is_qr_alphanumeric(c: char) -> bool {
    matches!(c, '0'..='9' | 'A'..='Z' | ' ' | '$' | '%' | '*' | '+' | '-' | '.' | '/' | ':')
}

/// The value of an alphanumeric character (table 5); the caller checked the set.
const fn alnum_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => (b - b'0') as u32,
        b'A'..=b'Z' => (b - b'A') as u32 + 10,
        b' ' => 36,
        b'$' => 37,
        b'%' => 38,
        b'*' => 39,
        b'+' => 40,
        b'-' => 41,
        b'.' => 42,
        b'/' => 43,
        _ => 44, // ':'
    }
}

/// Error correction codewords per block, by level (L, M, Q, H) and version (ISO/IEC 18004 table 9).
const ECC_PER_BLOCK: [[u8; 41]; 4] = [
    [
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28,
        30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30,
        30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Number of error correction blocks, by level (L, M, Q, H) and version (table 9).
const NUM_BLOCKS: [[u8; 41]; 4] = [
    [
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
        23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32,
        35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// Modules available for codewords (data and error correction, with remainder bits) in a
/// symbol of version `v`: all modules less the function patterns.
const fn raw_data_modules(v: usize) -> usize {
    let mut n = (16 * v + 128) * v + 64;
    if v >= 2 {
        let align = v / 7 + 2;
        n -= (25 * align - 10) * align - 55;
        if v >= 7 {
            n -= 36;
        }
    }
    n
}

/// Data codewords of version `v` at level `ec`.
const fn data_codewords(v: usize, ec: EcLevel) -> usize {
    raw_data_modules(v) / 8
        - ECC_PER_BLOCK[ec.index()][v] as usize * NUM_BLOCKS[ec.index()][v] as usize
}

/// Bits of the character count indicator in alphanumeric mode (table 3).
const fn count_bits(v: usize) -> usize {
    if v <= 9 {
        9
    } else if v <= 26 {
        11
    } else {
        13
    }
}

/// GF(256) antilog (index `0..510`, doubled so that sums of two logs need no reduction) and
/// log tables for the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
struct Gf {
    exp: [u8; 512],
    log: [u8; 256],
}

const GF: Gf = {
    let mut exp = [0u8; 512];
    let mut log = [0u8; 256];
    let mut x: u32 = 1;
    let mut i = 0;
    while i < 255 {
        exp[i] = x as u8;
        exp[i + 255] = x as u8;
        log[x as usize] = i as u8;
        x <<= 1;
        if x & 0x100 != 0 {
            x ^= 0x11D;
        }
        i += 1;
    }
    Gf { exp, log }
};

/// The Reed-Solomon generator polynomial of degree `n` (at most 30), monic leading term left
/// out, coefficients highest degree first, as logs.
fn generator_logs(n: usize) -> [u8; 30] {
    let mut coef = [0u8; 31];
    coef[0] = 1;
    // Multiply by (x - a^i) for i in 0..n.
    for i in 0..n {
        let root = GF.exp[i];
        let mut j = i + 1;
        while j > 0 {
            coef[j] ^= mul(coef[j - 1], root);
            j -= 1;
        }
    }
    let mut logs = [0u8; 30];
    for (l, &c) in logs.iter_mut().zip(coef.iter().skip(1)).take(n) {
        // Every coefficient of a product of (x - a^i) is non-zero.
        *l = GF.log[usize::from(c)];
    }
    logs
}

fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        GF.exp[usize::from(GF.log[usize::from(a)]) + usize::from(GF.log[usize::from(b)])]
    }
}

/// The products of the generator of degree `n` with every byte value, as 32-byte big-endian
/// registers (coefficient `i` in byte `i`, highest degree first, zeros beyond `n`), built once
/// per degree.
fn generator_products(n: usize) -> &'static [[u64; 4]; 256] {
    static CACHE: [OnceLock<Box<[[u64; 4]; 256]>>; 31] = [const { OnceLock::new() }; 31];
    CACHE[n.min(30)].get_or_init(|| {
        let gen_logs = generator_logs(n.min(30));
        let mut table = Box::new([[0u64; 4]; 256]);
        for (factor, row) in table.iter_mut().enumerate().skip(1) {
            let lf = usize::from(GF.log[factor]);
            for (i, &g) in gen_logs.iter().enumerate().take(n) {
                let byte = u64::from(GF.exp[usize::from(g) + lf]);
                row[i / 8] |= byte << (56 - 8 * (i % 8));
            }
        }
        table
    })
}

/// Writes the `ecc.len()` (at most 30) error correction codewords of `data` into `ecc`: the
/// remainder of `data(x) * x^n` divided by the generator, one shift-and-subtract per data
/// codeword on a 32-byte register, the subtrahend looked up in [`generator_products`].
fn reed_solomon(data: &[u8], ecc: &mut [u8]) {
    let products = generator_products(ecc.len());
    let mut r = [0u64; 4];
    for &b in data {
        let factor = usize::from(b ^ (r[0] >> 56) as u8);
        let p = &products[factor];
        r = [
            ((r[0] << 8) | (r[1] >> 56)) ^ p[0],
            ((r[1] << 8) | (r[2] >> 56)) ^ p[1],
            ((r[2] << 8) | (r[3] >> 56)) ^ p[2],
            (r[3] << 8) ^ p[3],
        ];
    }
    for (i, e) in ecc.iter_mut().enumerate().take(32) {
        *e = (r[i / 8] >> (56 - 8 * (i % 8))) as u8;
    }
}

/// Appends bits MSB first.
struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn push(&mut self, value: u32, bits: u32) {
        self.acc = (self.acc << bits) | u64::from(value);
        self.n += bits;
        while self.n >= 8 {
            self.n -= 8;
            self.bytes.push((self.acc >> self.n) as u8);
        }
    }
}

/// The data codewords: mode, count, characters, terminator, padding (section 7.4).
fn data_codewords_for(text: &[u8], v: usize, capacity: usize) -> Vec<u8> {
    let mut w = BitWriter {
        bytes: Vec::with_capacity(capacity),
        acc: 0,
        n: 0,
    };
    w.push(0b0010, 4);
    // The caller checked the length against the capacity: it fits into count_bits(v).
    w.push(text.len() as u32, count_bits(v) as u32);
    let mut pairs = text.chunks_exact(2);
    for p in &mut pairs {
        w.push(alnum_value(p[0]) * 45 + alnum_value(p[1]), 11);
    }
    if let [last] = pairs.remainder() {
        w.push(alnum_value(*last), 6);
    }
    let used = w.bytes.len() * 8 + w.n as usize;
    let term = (capacity * 8 - used).min(4) as u32;
    w.push(0, term);
    if w.n > 0 {
        w.push(0, 8 - w.n);
    }
    let mut pad = 0xEC;
    while w.bytes.len() < capacity {
        w.bytes.push(pad);
        pad ^= 0xEC ^ 0x11;
    }
    w.bytes
}

/// Splits the data into blocks, adds error correction and interleaves (section 7.6).
fn interleave(data: &[u8], v: usize, ec: EcLevel) -> Vec<u8> {
    let blocks = usize::from(NUM_BLOCKS[ec.index()][v]);
    let ecc_len = usize::from(ECC_PER_BLOCK[ec.index()][v]);
    let raw = raw_data_modules(v) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks - ecc_len; // data codewords of a short block

    let mut out = vec![0u8; raw];
    let mut ecc = [0u8; 30];
    let mut start = 0;
    for b in 0..blocks {
        let len = short_len + usize::from(b >= short_blocks);
        let block = &data[start..start + len];
        start += len;
        for (i, &d) in block.iter().enumerate() {
            // Column i of the data; short blocks have no codeword in column short_len.
            let pos = if i < short_len {
                i * blocks + b
            } else {
                short_len * blocks + (b - short_blocks)
            };
            out[pos] = d;
        }
        reed_solomon(block, &mut ecc[..ecc_len]);
        let data_total = data.len();
        for (i, &e) in ecc[..ecc_len].iter().enumerate() {
            out[data_total + i * blocks + b] = e;
        }
    }
    out
}

/// Alignment pattern centre coordinates of version `v` (table E.1), written to `out`;
/// returns how many.
fn alignment_positions(v: usize, out: &mut [usize; 7]) -> usize {
    if v == 1 {
        return 0;
    }
    let n = v / 7 + 2;
    let step = if v == 32 {
        26
    } else {
        (v * 4 + n * 2 + 1) / (n * 2 - 2) * 2
    };
    let size = 17 + 4 * v;
    out[0] = 6;
    let mut pos = size - 7;
    for i in (1..n).rev() {
        out[i] = pos;
        pos = pos.saturating_sub(step);
    }
    n
}

/// The 15 format information bits for `ec` and mask `m`, BCH-coded and masked (section 7.9).
pub(crate) const fn format_bits(ec: EcLevel, m: u32) -> u32 {
    let data = (ec.format_bits() << 3) | m;
    let mut rem = data;
    let mut i = 0;
    while i < 10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        i += 1;
    }
    ((data << 10) | (rem & 0x3FF)) ^ 0x5412
}

/// The 18 version information bits for version `v` (section 7.10).
const fn version_bits(v: u32) -> u32 {
    let mut rem = v;
    let mut i = 0;
    while i < 12 {
        rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
        i += 1;
    }
    (v << 12) | (rem & 0xFFF)
}

/// A square of modules as bitsets: row `y`, bit `x`; and the same as columns.
#[derive(Clone)]
pub(crate) struct Grid {
    pub(crate) size: usize,
    pub(crate) rows: Vec<Bits>,
    pub(crate) cols: Vec<Bits>,
}

impl Grid {
    fn new(size: usize) -> Grid {
        Grid {
            size,
            rows: vec![Bits::ZERO; size],
            cols: vec![Bits::ZERO; size],
        }
    }

    pub(crate) fn set(&mut self, x: usize, y: usize, dark: bool) {
        self.rows[y].put(x, dark);
        self.cols[x].put(y, dark);
    }
}

/// The coordinates of the 15 format bits, first copy then second copy, bit `i` at index `i`.
pub(crate) fn format_positions(size: usize) -> [[(usize, usize); 15]; 2] {
    // Around the top left finder: up column 8 (skipping the timing row), then left along row 8.
    let a = [
        (8, 0),
        (8, 1),
        (8, 2),
        (8, 3),
        (8, 4),
        (8, 5),
        (8, 7),
        (8, 8),
        (7, 8),
        (5, 8),
        (4, 8),
        (3, 8),
        (2, 8),
        (1, 8),
        (0, 8),
    ];
    // Along row 8 from the right edge, then down column 8 at the bottom left.
    let b = std::array::from_fn(|i| {
        if i < 8 {
            (size - 1 - i, 8)
        } else {
            (8, size - 15 + i)
        }
    });
    [a, b]
}

/// Draws the function patterns of version `v` into `g` (values) and `f` (which modules are
/// function modules), format bits for mask 0 as placeholders.
fn function_patterns(v: usize, ec: EcLevel, g: &mut Grid, f: &mut Grid) {
    let size = g.size;
    let mut put = |x: usize, y: usize, dark: bool| {
        g.set(x, y, dark);
        f.set(x, y, true);
    };
    for i in 0..size {
        put(6, i, i % 2 == 0);
        put(i, 6, i % 2 == 0);
    }
    for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
        for dy in -4i32..=4 {
            for dx in -4i32..=4 {
                let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                if (0..size as i32).contains(&x) && (0..size as i32).contains(&y) {
                    let d = dx.abs().max(dy.abs());
                    put(x as usize, y as usize, d != 2 && d != 4);
                }
            }
        }
    }
    let mut pos = [0usize; 7];
    let n = alignment_positions(v, &mut pos);
    for i in 0..n {
        for j in 0..n {
            if (i == 0 && (j == 0 || j == n - 1)) || (i == n - 1 && j == 0) {
                continue;
            }
            for dy in -2i32..=2 {
                for dx in -2i32..=2 {
                    let d = dx.abs().max(dy.abs());
                    put(
                        (pos[i] as i32 + dx) as usize,
                        (pos[j] as i32 + dy) as usize,
                        d != 1,
                    );
                }
            }
        }
    }
    let fb = format_bits(ec, 0);
    for copy in format_positions(size) {
        for (i, (x, y)) in copy.into_iter().enumerate() {
            put(x, y, (fb >> i) & 1 != 0);
        }
    }
    put(8, size - 8, true);
    if v >= 7 {
        let vb = version_bits(v as u32);
        for i in 0..18 {
            let dark = (vb >> i) & 1 != 0;
            let a = size - 11 + i % 3;
            let b = i / 3;
            put(a, b, dark);
            put(b, a, dark);
        }
    }
}

/// The modules that hold codeword bits, in the zigzag order of section 7.7.3 (upward and
/// downward through column pairs from the right, skipping the vertical timing column and the
/// function modules), each as `x << 8 | y`.
fn codeword_order(f: &Grid) -> Vec<u16> {
    let size = f.size;
    let mut order = Vec::with_capacity(size * size);
    let mut right = size - 1;
    loop {
        if right == 6 {
            right = 5;
        }
        let upward = (right + 1) & 2 == 0;
        for vert in 0..size {
            let y = if upward { size - 1 - vert } else { vert };
            for x in [right, right - 1] {
                if !f.cols[x].get(y) {
                    // x, y < 177: both fit a byte.
                    order.push(((x as u16) << 8) | y as u16);
                }
            }
        }
        if right < 2 {
            break;
        }
        right -= 2;
    }
    order
}

/// How one codeword is placed: most codewords fill a 2 x 4 block of modules (two columns, four
/// consecutive rows) that lies in one word of the column bitsets; they are placed a column
/// nibble at a time. Bits 0-7: right column; 8-9: word; 10-15: shift of the lowest row;
/// 16: upward; 17: regular (else placed bit by bit).
fn codeword_places(order: &[u16]) -> Vec<u32> {
    order
        .chunks_exact(8)
        .map(|pos| {
            let (x0, y0) = (i64::from(pos[0] >> 8), i64::from(pos[0] & 0xFF));
            let regular = |step: i64| {
                pos.iter().enumerate().all(|(j, &p)| {
                    let (x, y) = (i64::from(p >> 8), i64::from(p & 0xFF));
                    let t = j as i64 / 2;
                    x == x0 - (j as i64 % 2) && y == y0 + step * t
                })
            };
            let (up, ok) = if regular(1) {
                (false, true)
            } else if regular(-1) {
                (true, true)
            } else {
                (false, false)
            };
            let low = if up { y0 - 3 } else { y0 };
            // In one word: rows low ..= low + 3 share low / 64.
            let ok = ok && x0 >= 1 && low >= 0 && low % 64 <= 60;
            if !ok {
                return 0;
            }
            (1 << 17)
                | (u32::from(up) << 16)
                | ((low % 64) as u32) << 10
                | ((low / 64) as u32) << 8
                | x0 as u32
        })
        .collect()
}

/// For each byte value and direction (0: downward, 1: upward), the nibble the right column of
/// a regular codeword block gets (bit `t` = row `low + t`); the left column's is the same of
/// the byte shifted left by one.
const NIBBLES: [[u8; 256]; 2] = {
    let mut t = [[0u8; 256]; 2];
    let mut b = 0;
    while b < 256 {
        let mut i = 0;
        while i < 4 {
            // Downward: row low + i holds byte bit 7 - 2i; upward: byte bit 1 + 2i.
            t[0][b] |= (((b >> (7 - 2 * i)) & 1) << i) as u8;
            t[1][b] |= (((b >> (1 + 2 * i)) & 1) << i) as u8;
            i += 1;
        }
        b += 1;
    }
    t
};

/// Places the codewords (most significant bit first) at the modules `order` lists, into the
/// columns of `g`, then derives the rows from the columns; remainder bits stay light.
fn place_codewords(codewords: &[u8], layout: &Layout, g: &mut Grid) {
    for ((&cw, pos), &place) in codewords
        .iter()
        .zip(layout.order.chunks_exact(8))
        .zip(&layout.places)
    {
        if place >> 17 != 0 {
            let x = (place & 0xFF) as usize;
            let word = ((place >> 8) & 3) as usize % 3;
            let shift = (place >> 10) & 63;
            let nibbles = &NIBBLES[((place >> 16) & 1) as usize];
            let right = u64::from(nibbles[usize::from(cw)]) << shift;
            let left = u64::from(nibbles[usize::from(cw << 1)]) << shift;
            if let Some([l, r]) = g.cols.get_mut(x.wrapping_sub(1)..=x) {
                r.0[word] |= right;
                l.0[word] |= left;
            }
            continue;
        }
        for (j, &p) in pos.iter().enumerate() {
            let (x, y) = (usize::from(p >> 8), usize::from(p & 0xFF));
            let bit = u64::from((cw >> (7 - j)) & 1);
            if let Some(col) = g.cols.get_mut(x) {
                col.0[(y / 64) % 3] |= bit << (y % 64);
            }
        }
    }
    transpose(&g.cols, &mut g.rows, g.size);
}

/// Writes the transpose of the `size` x `size` bit matrix `src` (line `i`, bit `j`) to `dst`
/// (line `j`, bit `i`), 64 x 64 blocks at a time.
fn transpose(src: &[Bits], dst: &mut [Bits], size: usize) {
    let blocks = size.div_ceil(64);
    let mut a = [0u64; 64];
    for bi in 0..blocks {
        for bj in 0..blocks {
            for (r, word) in a.iter_mut().enumerate() {
                *word = src.get(bi * 64 + r).map_or(0, |l| l.0[bj]);
            }
            transpose64(&mut a);
            for (c, &word) in a.iter().enumerate() {
                if let Some(l) = dst.get_mut(bj * 64 + c) {
                    l.0[bi] = word;
                }
            }
        }
    }
}

/// Transposes a 64 x 64 bit matrix in place (word `r`, bit `c` <-> word `c`, bit `r`) by
/// swapping ever smaller off-diagonal blocks (Hacker's Delight, section 7-3).
fn transpose64(a: &mut [u64; 64]) {
    let mut j = 32;
    let mut m = 0x0000_0000_FFFF_FFFFu64;
    while j != 0 {
        let mut k = 0;
        while k < 64 - j {
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k] ^= t << j;
            a[k + j] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

/// What is drawn once per version: the function patterns (values, with format bits for
/// level M mask 0 as placeholders: each mask candidate draws its own), which modules are
/// function modules, and the order of the codeword modules.
struct Layout {
    values: Grid,
    func: Grid,
    order: Vec<u16>,
    /// [`codeword_places`] of `order`.
    places: Vec<u32>,
}

fn layout(v: usize) -> &'static Layout {
    static CACHE: [OnceLock<Layout>; 40] = [const { OnceLock::new() }; 40];
    CACHE[v - 1].get_or_init(|| {
        let size = 17 + 4 * v;
        let mut values = Grid::new(size);
        let mut func = Grid::new(size);
        function_patterns(v, EcLevel::M, &mut values, &mut func);
        let order = codeword_order(&func);
        let places = codeword_places(&order);
        Layout {
            values,
            func,
            order,
            places,
        }
    })
}

/// An encoded QR code: a square matrix of dark and light modules.
///
/// Create one with [`QrCode::encode`], then render it with
/// [`QrCode::to_png`] or [`QrCode::to_svg`], or inspect the modules with
/// [`QrCode::is_dark`].
#[derive(Clone, PartialEq, Eq)]
pub struct QrCode {
    version: u8,
    size: usize,
    ec: EcLevel,
    mask: u8,
    /// One bitset per row, bit `x` set = dark.
    rows: Vec<Bits>,
}

impl fmt::Debug for QrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QrCode")
            .field("version", &self.version)
            .field("size", &self.size)
            .field("ec", &self.ec)
            .field("mask", &self.mask)
            .finish_non_exhaustive()
    }
}

impl QrCode {
    /// Encodes `text` as a single alphanumeric-mode segment at error
    /// correction level `ec`, choosing the smallest version that fits and the mask with the
    /// lowest penalty score (ISO/IEC 18004 section 7.8.3).
    ///
    /// HCERT requires alphanumeric mode: the payload `"HC1:" + base45` only
    /// uses characters of the QR alphanumeric set.
    ///
    /// # Errors
    ///
    /// * [`EncodeError::InvalidCharacter`] if `text` contains a character
    ///   outside `0-9A-Z $%*+-./:` (lowercase letters included);
    /// * [`EncodeError::TooLong`] if `text` does not fit into a version 40
    ///   symbol at level `ec`.
    pub fn encode(text: &str, ec: EcLevel) -> Result<QrCode, EncodeError> {
        if let Some((index, ch)) = text.char_indices().find(|&(_, c)| !is_qr_alphanumeric(c)) {
            return Err(EncodeError::InvalidCharacter { ch, index });
        }
        // All characters are ASCII now, so bytes == chars.
        let bytes = text.as_bytes();
        let len = bytes.len();
        let max = ec.max_alphanumeric_len();
        let bits = |v: usize| 4 + count_bits(v) + 11 * (len / 2) + 6 * (len % 2);
        let Some(v) = (1..=40).find(|&v| bits(v) <= data_codewords(v, ec) * 8) else {
            return Err(EncodeError::TooLong { len, max, ec });
        };
        if len > max {
            return Err(EncodeError::TooLong { len, max, ec });
        }
        let capacity = data_codewords(v, ec);
        let data = data_codewords_for(bytes, v, capacity);
        let codewords = interleave(&data, v, ec);

        let size = 17 + 4 * v;
        let layout = layout(v);
        let mut grid = layout.values.clone();
        place_codewords(&codewords, layout, &mut grid);
        let (m, rows) = mask::apply_best(&grid, &layout.func, ec);

        Ok(QrCode {
            version: v as u8,
            size,
            ec,
            mask: m as u8,
            rows,
        })
    }

    /// The QR version, `1..=40`.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// Number of modules per side (`17 + 4 * version`), without quiet zone.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The error correction level the code was encoded with.
    pub fn ec_level(&self) -> EcLevel {
        self.ec
    }

    /// The mask pattern the encoder chose, `0..=7` (ISO/IEC 18004 table 10).
    pub fn mask(&self) -> u8 {
        self.mask
    }

    /// Returns `true` if the module at column `x`, row `y` is dark.
    ///
    /// Coordinates outside the symbol (`x >= size()` or `y >= size()`) are
    /// reported as light, like the quiet zone.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && self.rows.get(y).is_some_and(|r| r.get(x))
    }

    /// One row of modules as a bitset (bit `x` set = dark); all light if `y` is out of range.
    pub(crate) fn row(&self, y: usize) -> Bits {
        self.rows.get(y).copied().unwrap_or(Bits::ZERO)
    }
}
