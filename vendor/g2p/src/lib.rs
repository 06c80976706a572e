//! Binary Galois fields GF(2^n), n <= 8: a drop-in replacement for the `g2p` crate's API with
//! log/exp tables instead of full multiplication tables (see README.md).

use core::{
    iter::{Product, Sum},
    ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign},
};

/// Polynomial representation of values (re-exported from `g2poly`, as `g2p` does).
pub use g2poly::G2Poly;

/// Common trait for finite fields (as in g2p 1.2.2).
pub trait GaloisField:
    Add<Output = Self>
    + AddAssign
    + Sum
    + Sub<Output = Self>
    + SubAssign
    + Neg<Output = Self>
    + Mul<Output = Self>
    + MulAssign
    + Product
    + Div<Output = Self>
    + DivAssign
    + Copy
    + PartialEq
    + Eq
{
    /// Number of elements in the field.
    const SIZE: usize;
    /// The value 0.
    const ZERO: Self;
    /// The value 1.
    const ONE: Self;
    /// A generator of the multiplicative group: the smallest element of full order.
    const GENERATOR: Self;
    /// Polynomial representation of the modulus used to generate the field.
    const MODULUS: G2Poly;

    /// `self` to the power `p`.
    fn pow(self, p: usize) -> Self {
        let mut val = Self::ONE;
        let mut pow_pos = 1 << (::std::mem::size_of::<usize>() * 8 - 1);
        assert_eq!(pow_pos << 1, 0);
        while pow_pos > 0 {
            val *= val;
            if (pow_pos & p) > 0 {
                val *= self;
            }
            pow_pos >>= 1;
        }
        val
    }
}

/// Log/exp tables of one field, computed at compile time by [`Tables::new`].
#[doc(hidden)]
pub struct Tables {
    /// `exp[i] = g^i` for `i < 2 * (2^n - 1)`, so a sum of two logarithms needs no reduction.
    pub exp: [u8; 512],
    /// `log[x]` for `x != 0` (masked to the field's bits).
    pub log: [u8; 256],
    /// The generator `g`.
    pub generator: u8,
    /// `2^n - 1`.
    pub order: usize,
    /// `2^n - 1` as a mask.
    pub mask: u8,
}

/// Carry-less product of `a` and `b`, reduced modulo `modulus` (degree `bits`).
#[doc(hidden)]
pub const fn mul_mod(a: u8, b: u8, modulus: u16, bits: u32) -> u8 {
    let (mut acc, mut a, mut b) = (0u16, a as u16, b);
    while b != 0 {
        if b & 1 != 0 {
            acc ^= a;
        }
        b >>= 1;
        a <<= 1;
        if a & (1 << bits) != 0 {
            a ^= modulus;
        }
    }
    acc as u8
}

impl Tables {
    /// Builds the tables of GF(2^`bits`) with the irreducible `modulus`; fails to compile
    /// (const panic) for `bits` outside 1..=8 or a modulus without a generator.
    #[doc(hidden)]
    pub const fn new(bits: u32, modulus: u16) -> Tables {
        assert!(
            bits >= 1 && bits <= 8,
            "this g2p supports fields of 1 to 8 bits"
        );
        assert!(modulus >> bits == 1, "the modulus must have degree `bits`");
        let order = (1usize << bits) - 1;
        // The smallest element whose powers reach every non-zero element, as g2p picks it.
        let mut g = 1usize;
        let generator = loop {
            assert!(g <= order, "no generator: is the modulus irreducible?");
            let mut x = 1u8;
            let mut n = 0usize;
            loop {
                x = mul_mod(x, g as u8, modulus, bits);
                n += 1;
                if x == 1 {
                    break;
                }
            }
            if n == order {
                break g as u8;
            }
            g += 1;
        };
        let mut exp = [0u8; 512];
        let mut log = [0u8; 256];
        let mut x = 1u8;
        let mut i = 0;
        while i < 2 * order {
            exp[i] = x;
            if i < order {
                log[x as usize] = i as u8;
            }
            x = mul_mod(x, generator, modulus, bits);
            i += 1;
        }
        Tables {
            exp,
            log,
            generator,
            order,
            mask: order as u8,
        }
    }

    /// The product of `a` and `b` (both masked to the field's bits).
    #[inline]
    pub fn mul(&self, a: u8, b: u8) -> u8 {
        let (a, b) = (a & self.mask, b & self.mask);
        if a == 0 || b == 0 {
            return 0;
        }
        self.exp[self.log[a as usize] as usize + self.log[b as usize] as usize]
    }

    /// `a` (masked) to the power `p` in O(1): `g^(log a * p mod (2^n - 1))`; `0^0 = 1`.
    #[inline]
    pub fn pow(&self, a: u8, p: usize) -> u8 {
        let a = a & self.mask;
        if p == 0 {
            return 1;
        }
        if a == 0 {
            return 0;
        }
        let e = (self.log[a as usize] as usize * (p % self.order)) % self.order;
        self.exp[e]
    }

    /// The inverse of `a` (masked), or `None` for zero.
    #[inline]
    pub fn inv(&self, a: u8) -> Option<u8> {
        let a = a & self.mask;
        if a == 0 {
            return None;
        }
        Some(self.exp[self.order - self.log[a as usize] as usize])
    }
}

/// Generates a newtype `$name(pub u8)` implementing GF(2^`$bits`) arithmetic modulo
/// `$modulus`, with the same impls as g2p's macro (`Add`, `Sub`, `Neg`, `Mul`, `Div`, their
/// assignments, `Sum`, `Product`, `From` both ways, `Debug`, `Display`, [`GaloisField`]).
/// Only the `g2p!(Name, bits, modulus: m)` form is supported, for 1 to 8 bits.
#[macro_export]
macro_rules! g2p {
    ($name:ident, $bits:literal, modulus: $modulus:literal) => {
        #[derive(Clone, Copy, Eq, PartialEq, Hash)]
        /// An element of a binary Galois field.
        pub struct $name(pub u8);

        impl $name {
            /// The field's bits.
            pub const MASK: u8 = ((1u16 << $bits) - 1) as u8;

            #[inline]
            fn tables() -> &'static $crate::Tables {
                static TABLES: $crate::Tables = $crate::Tables::new($bits, $modulus);
                &TABLES
            }
        }

        impl ::core::convert::From<$name> for u8 {
            fn from(v: $name) -> u8 {
                v.0
            }
        }

        impl ::core::convert::From<u8> for $name {
            fn from(v: u8) -> $name {
                $name(v & $name::MASK)
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{}_{}", self.0, stringify!($name))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{}_{}", self.0, stringify!($name))
            }
        }

        impl ::core::ops::Add for $name {
            type Output = Self;
            #[allow(clippy::suspicious_arithmetic_impl)]
            fn add(self, rhs: Self) -> Self {
                Self(self.0 ^ rhs.0)
            }
        }

        impl ::core::ops::AddAssign for $name {
            fn add_assign(&mut self, rhs: Self) {
                *self = *self + rhs;
            }
        }

        impl ::core::iter::Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                iter.fold(<Self as $crate::GaloisField>::ZERO, ::core::ops::Add::add)
            }
        }

        impl ::core::ops::Sub for $name {
            type Output = Self;
            #[allow(clippy::suspicious_arithmetic_impl)]
            fn sub(self, rhs: Self) -> Self {
                Self(self.0 ^ rhs.0)
            }
        }

        impl ::core::ops::SubAssign for $name {
            fn sub_assign(&mut self, rhs: Self) {
                *self = *self - rhs;
            }
        }

        impl ::core::ops::Neg for $name {
            type Output = Self;
            fn neg(self) -> Self {
                self
            }
        }

        impl ::core::ops::Mul for $name {
            type Output = Self;
            fn mul(self, rhs: Self) -> Self {
                Self($name::tables().mul(self.0, rhs.0))
            }
        }

        impl ::core::ops::MulAssign for $name {
            fn mul_assign(&mut self, rhs: Self) {
                *self = *self * rhs;
            }
        }

        impl ::core::iter::Product for $name {
            fn product<I: Iterator<Item = Self>>(iter: I) -> Self {
                iter.fold(<Self as $crate::GaloisField>::ONE, ::core::ops::Mul::mul)
            }
        }

        impl ::core::ops::Div for $name {
            type Output = Self;
            #[allow(clippy::suspicious_arithmetic_impl)]
            fn div(self, rhs: Self) -> Self {
                match $name::tables().inv(rhs.0) {
                    Some(inv) => self * Self(inv),
                    None => panic!(concat!("Division by 0 in ", stringify!($name))),
                }
            }
        }

        impl ::core::ops::DivAssign for $name {
            fn div_assign(&mut self, rhs: Self) {
                *self = *self / rhs;
            }
        }

        impl $crate::GaloisField for $name {
            const SIZE: usize = 1 << $bits;
            const MODULUS: $crate::G2Poly = $crate::G2Poly($modulus);
            const ZERO: Self = Self(0);
            const ONE: Self = Self(1);
            const GENERATOR: Self = Self($crate::Tables::new($bits, $modulus).generator);

            /// Through the logarithm table rather than square-and-multiply (rqrr raises the
            /// generator to a power for every syndrome term). Same results, including masking.
            fn pow(self, p: usize) -> Self {
                Self($name::tables().pow(self.0, p))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::{mul_mod, GaloisField};

    g2p!(GF16, 4, modulus: 0b1_0011);
    g2p!(GF256, 8, modulus: 0b1_0001_1101);

    /// Every product and quotient of the two fields rqrr declares, against carry-less
    /// multiplication, for all 256 x 256 operand bytes (operands wider than the field are
    /// masked first, as g2p does).
    #[test]
    fn products_and_quotients_match_carry_less_multiplication() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let expect16 = mul_mod(a & 15, b & 15, 0b1_0011, 4);
                assert_eq!((GF16(a) * GF16(b)).0, expect16, "{a} * {b} in GF16");
                let expect256 = mul_mod(a, b, 0b1_0001_1101, 8);
                assert_eq!((GF256(a) * GF256(b)).0, expect256, "{a} * {b} in GF256");
                if b & 15 != 0 {
                    assert_eq!((GF16(a) / GF16(b) * GF16(b)).0, a & 15, "{a} / {b} in GF16");
                }
                if b != 0 {
                    assert_eq!((GF256(a) / GF256(b) * GF256(b)).0, a, "{a} / {b} in GF256");
                }
            }
        }
    }

    /// The table `pow` against square-and-multiply (the trait's default, g2p's behaviour).
    #[test]
    fn pow_matches_square_and_multiply() {
        fn slow<G: GaloisField>(x: G, p: usize) -> G {
            let mut acc = G::ONE;
            for _ in 0..p {
                acc *= x;
            }
            acc
        }
        for a in 0..=255u8 {
            for p in (0..600).chain([usize::MAX, usize::MAX - 1, 1 << 40]) {
                let q = if p > 600 { p % 255 + 255 } else { p };
                if p <= 600 {
                    assert_eq!(GF256(a).pow(p), slow(GF256(a), p), "{a}^{p} in GF256");
                    assert_eq!(GF16(a).pow(p), slow(GF16(a), p), "{a}^{p} in GF16");
                } else if a != 0 {
                    // Huge exponents: a^p = a^(p mod 255) for a != 0 (the group order).
                    assert_eq!(GF256(a).pow(p), slow(GF256(a), q), "{a}^{p} in GF256");
                }
            }
        }
    }

    #[test]
    fn generator_constants_and_pow() {
        // 2 (the polynomial x) is primitive for both moduli, and g2p picks the smallest.
        assert_eq!(GF16::GENERATOR, GF16(2));
        assert_eq!(GF256::GENERATOR, GF256(2));
        assert_eq!(GF256::GENERATOR.pow(8), GF256(0b0001_1101));
        assert_eq!(GF256::GENERATOR.pow(255), GF256::ONE);
        assert_eq!(GF16::GENERATOR.pow(15), GF16::ONE);
        assert_eq!(GF16::SIZE, 16);
        assert_eq!(GF256::SIZE, 256);
        let seen: std::collections::BTreeSet<u8> =
            (0..255).map(|i| GF256::GENERATOR.pow(i).0).collect();
        assert_eq!(seen.len(), 255);
        assert_eq!(format!("{:?}", GF16(7)), "7_GF16");
        assert_eq!(GF16::from(0xF7).0, 7);
        assert_eq!([GF16(3), GF16(5)].into_iter().sum::<GF16>(), GF16(6));
    }

    #[test]
    #[should_panic(expected = "Division by 0 in GF256")]
    fn division_by_zero_panics_as_g2p_does() {
        let _ = GF256(3) / GF256(0);
    }
}
