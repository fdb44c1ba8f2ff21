//! Article bodies given as HTML (WordPress and most CMS exports) turned into Sorot's text: one
//! paragraph per line, entities decoded, scripts and styles dropped.
//!
//! The HTML is parsed by `html5ever` (through `scraper`) as a browser would, so broken markup,
//! unclosed tags and entities come out as a browser shows them. Only text is kept: the explorer never
//! renders article text as HTML, whatever it held.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements whose content is not text for a reader.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "title",
    "button", "select", "option", "textarea", "input", "form", "video", "audio", "canvas", "map",
];

/// Elements that start and end a paragraph (or a line: `br`, list items, table rows).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "thead",
    "tbody",
    "tfoot",
    "caption",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "main",
    "pre",
    "hr",
    "address",
    "details",
    "summary",
    "body",
];

/// The text of an HTML fragment: its paragraphs (block elements, `<br>`) on separate lines, white
/// space inside a paragraph collapsed to single spaces (inside `<pre>` each line is a paragraph), empty
/// paragraphs dropped.
pub fn html_to_text(html: &str) -> String {
    let document = Html::parse_fragment(html);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut dropped = 0usize;
    let mut pre = 0usize;
    let mut end_paragraph = |current: &mut String| {
        let text = current.trim();
        if !text.is_empty() {
            paragraphs.push(text.to_string());
        }
        current.clear();
    };
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if DROPPED.contains(&name) {
                        dropped += 1;
                    } else if dropped == 0 && BLOCKS.contains(&name) {
                        end_paragraph(&mut current);
                        pre += usize::from(name == "pre");
                    }
                }
                Node::Text(text) if dropped == 0 => {
                    if pre > 0 {
                        // Lines of preformatted text stay lines.
                        let mut lines = text.split('\n');
                        current.push_str(lines.next().unwrap_or_default());
                        for line in lines {
                            end_paragraph(&mut current);
                            current.push_str(line);
                        }
                    } else {
                        for (i, word) in text.split(char::is_whitespace).enumerate() {
                            if i > 0 && !current.ends_with(' ') {
                                current.push(' ');
                            }
                            current.push_str(word);
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    let name = e.name();
                    if DROPPED.contains(&name) {
                        dropped = dropped.saturating_sub(1);
                    } else if dropped == 0 && BLOCKS.contains(&name) {
                        end_paragraph(&mut current);
                        pre = pre.saturating_sub(usize::from(name == "pre"));
                    }
                }
            }
        }
    }
    end_paragraph(&mut current);
    paragraphs.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cms_bodies_become_paragraphs_of_text() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str)] = &[
            ("paragraphs", "<p>Satu.</p><p>Dua &amp; tiga.</p>", "Satu.\nDua & tiga."),
            ("br", "Baris satu<br>baris dua<br/>baris tiga", "Baris satu\nbaris dua\nbaris tiga"),
            ("inline markup", "<p>Presiden <strong>Joko</strong> <a href=\"/x\">Widodo</a> tiba.</p>", "Presiden Joko Widodo tiba."),
            ("no space between inline parts", "<p>Ke<b>rusuhan</b></p>", "Kerusuhan"),
            ("white space", "<p>  Banyak \n\t spasi   di sini </p>", "Banyak spasi di sini"),
            ("script and style", "<p>A</p><script>alert(1)</script><style>p{}</style><p>B</p>", "A\nB"),
            ("nested dropped", "<noscript><p>no <script>x</script>js</p></noscript>Teks", "Teks"),
            ("figure caption", "<figure><img src=a.jpg><figcaption>Foto: AFP</figcaption></figure><p>Isi.</p>", "Foto: AFP\nIsi."),
            ("lists", "<ul><li>satu</li><li>dua</li></ul>", "satu\ndua"),
            ("entities", "Caf&eacute; &#8220;kutip&#8221; &lt;b&gt; &nbsp;x", "Café “kutip” <b> x"),
            ("broken markup", "<p>Tanpa penutup<div>Blok <i>miring</p>lanjut", "Tanpa penutup\nBlok miring\nlanjut"),
            ("empty paragraphs", "<p></p><p> </p><p>Isi</p><div><br></div>", "Isi"),
            ("preformatted", "<pre>a  b\n  c</pre>", "a  b\nc"),
            ("plain text", "Hanya teks biasa.", "Hanya teks biasa."),
            ("markup as text", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ];
        let mut names: Vec<&str> = cases.iter().map(|c| c.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), cases.len());
        for (name, html, text) in cases {
            assert_eq!(html_to_text(html), *text, "{name}");
        }
    }
}
