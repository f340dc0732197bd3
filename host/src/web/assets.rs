//! The page and its scripts, built into the binary: nothing is fetched
//! from elsewhere at run time (`host/web/README.md` says how the vendored
//! xterm.js is refreshed).

pub struct Asset {
    pub name: &'static str,
    pub mime: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $path:literal, $mime:literal) => {
        Asset { name: $name, mime: $mime, bytes: include_bytes!(concat!("../../web/", $path)) }
    };
}

pub const INDEX: &[u8] = include_bytes!("../../web/index.html");

/// Served flat under `/assets/`.
pub const ASSETS: &[Asset] = &[
    asset!("app.js", "app.js", "text/javascript; charset=utf-8"),
    asset!("app.css", "app.css", "text/css; charset=utf-8"),
    asset!("manifest.webmanifest", "manifest.webmanifest", "application/manifest+json"),
    asset!("icon.svg", "icon.svg", "image/svg+xml"),
    asset!("xterm.js", "vendor/xterm.js", "text/javascript; charset=utf-8"),
    asset!("xterm.css", "vendor/xterm.css", "text/css; charset=utf-8"),
    asset!("addon-fit.js", "vendor/addon-fit.js", "text/javascript; charset=utf-8"),
    asset!("addon-web-links.js", "vendor/addon-web-links.js", "text/javascript; charset=utf-8"),
];

pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_no_inline_script_and_names_only_served_assets() {
        let page = std::str::from_utf8(INDEX).unwrap();
        for (i, _) in page.match_indices("<script") {
            let tag = &page[i..i + page[i..].find('>').unwrap()];
            assert!(tag.contains("src="), "inline script: {tag}");
            let src = tag.split("src=\"").nth(1).unwrap().split('"').next().unwrap();
            let name = src.strip_prefix("/assets/").unwrap_or_else(|| panic!("{src} is not under /assets/"));
            assert!(find(name).is_some(), "{src} is not served");
        }
        assert!(!page.contains(" onclick=") && !page.contains(" onload="), "inline handlers");
        assert!(ASSETS.iter().all(|a| !a.bytes.is_empty()));
    }
}
