//! The 256-colour palette, for terminals without truecolor: an RGB colour
//! goes out as the nearest entry of xterm's 6×6×6 cube or grey ramp (as tmux
//! does), never as one of the 16 basic colours, whose values vary by theme.

const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn nearest_level(v: u8) -> usize {
    // The cube's levels are not evenly spaced: pick the closest by distance.
    (0..6).min_by_key(|&i| (CUBE[i] as i32 - v as i32).abs()).unwrap_or(0)
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> i32 {
    let d = |x: u8, y: u8| (x as i32 - y as i32).pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// The palette index (16–255) closest to (r, g, b).
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    let (ri, gi, bi) = (nearest_level(r), nearest_level(g), nearest_level(b));
    let cube = (CUBE[ri], CUBE[gi], CUBE[bi]);
    let cube_index = 16 + 36 * ri + 6 * gi + bi;
    // Greys: 232 + k is 8 + 10k.
    let avg = (r as i32 + g as i32 + b as i32) / 3;
    let k = ((avg - 8).max(0) as f32 / 10.0).round().clamp(0.0, 23.0) as u8;
    let grey = 8 + 10 * k;
    if distance((grey, grey, grey), (r, g, b)) < distance(cube, (r, g, b)) { 232 + k } else { cube_index as u8 }
}

/// xterm's default values of the 16 basic colours.
const BASIC: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

/// The colour of palette entry `n` (16–255).
fn rgb_of(n: u8) -> (u8, u8, u8) {
    match n {
        0..=15 => BASIC[n as usize],
        16..=231 => {
            let i = (n - 16) as usize;
            (CUBE[i / 36], CUBE[i / 6 % 6], CUBE[i % 6])
        }
        _ => {
            let v = 8 + 10 * (n - 232);
            (v, v, v)
        }
    }
}

/// The basic colour (0–15) closest to palette entry `n`, for terminals with
/// 16 colours (the Linux console).
pub fn nearest_16(n: u8) -> u8 {
    if n < 16 {
        return n;
    }
    let target = rgb_of(n);
    (0..16u8).min_by_key(|&i| distance(BASIC[i as usize], target)).unwrap_or(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_entries_map_to_themselves() {
        assert_eq!(nearest_256(0, 0, 0), 16);
        assert_eq!(nearest_256(255, 255, 255), 231);
        assert_eq!(nearest_256(255, 0, 0), 196);
        assert_eq!(nearest_256(95, 135, 175), 16 + 36 + 12 + 3);
        assert_eq!(nearest_256(128, 128, 128), 244);
        assert_eq!(nearest_256(40, 40, 40), 235);
    }

    #[test]
    fn sixteen_colours_for_the_console() {
        assert_eq!(nearest_16(196), 9, "bright red");
        assert_eq!(nearest_16(16), 0);
        assert_eq!(nearest_16(231), 15);
        assert_eq!(nearest_16(5), 5);
    }
}
