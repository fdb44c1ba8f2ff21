//! The command line of every `sorot` command: which options it takes, its usage text, and the one
//! parser that splits arguments by those.

/// What one command accepts, and the usage text `sorot <command> --help` prints.
pub struct Spec {
    /// The usage text, starting with `usage: sorot <command> …`.
    pub usage: &'static str,
    /// Options that take a value (`-o FILE`, `--limit 5` or `--limit=5`); the first name is the one
    /// the command asks for, the others are its aliases.
    pub valued: &'static [&'static [&'static str]],
    /// Options that take none (`--json`).
    pub flags: &'static [&'static str],
}

/// A command's arguments, split into positional ones and options.
pub struct Args {
    /// The arguments that are not options, in order.
    pub positional: Vec<String>,
    options: Vec<(&'static str, Option<String>)>,
    /// `-h` or `--help` was given: print the usage and do nothing else.
    pub help: bool,
}

impl Args {
    /// Splits `args` by `spec`. An argument starting with `--` must be an option the command knows,
    /// and so must a two-letter `-x` before the first positional argument; anything else is
    /// positional, so `-` (standard input) and queries such as `-putin rusuh` need no quoting. After
    /// `--` everything is positional.
    pub fn parse(args: &[String], spec: &Spec) -> Result<Args, String> {
        let mut out = Args { positional: Vec::new(), options: Vec::new(), help: false };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let a = arg.as_str();
            if a == "--" {
                out.positional.extend(it.by_ref().cloned());
                break;
            }
            if a == "-h" || a == "--help" {
                out.help = true;
                continue;
            }
            let (name, inline) = match a.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value)),
                _ => (a, None),
            };
            if let Some(names) = spec.valued.iter().find(|names| names.contains(&name)) {
                let value = match inline {
                    Some(value) => value.to_string(),
                    None => {
                        it.next().ok_or_else(|| format!("`{name}` needs a value\n\n{}", spec.usage))?.clone()
                    }
                };
                out.options.push((names[0], Some(value)));
            } else if let Some(flag) = spec.flags.iter().find(|f| **f == name) {
                if inline.is_some() {
                    return Err(format!("`{name}` takes no value\n\n{}", spec.usage));
                }
                out.options.push((flag, None));
            } else if a.starts_with("--") || (a.starts_with('-') && a.len() == 2 && out.positional.is_empty())
            {
                return Err(format!("unknown option `{name}`\n\n{}", spec.usage));
            } else {
                out.positional.push(arg.clone());
            }
        }
        Ok(out)
    }

    /// Whether the flag was given.
    pub fn has(&self, flag: &str) -> bool {
        self.options.iter().any(|(f, _)| *f == flag)
    }

    /// The value of the option `name` (its first name in the spec); the last one given wins.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options.iter().rev().find(|(f, _)| *f == name).and_then(|(_, v)| v.as_deref())
    }

    /// Every value given as `name`, in order (options that may be repeated).
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.options.iter().filter(move |(f, _)| *f == name).filter_map(|(_, v)| v.as_deref())
    }

    /// The whole number given as `name`, or `default`.
    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.value(name) {
            Some(v) => v.parse().map_err(|_| format!("{name} takes a whole number, not {v:?}")),
            None => Ok(default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec =
        Spec { usage: "usage: sorot test", valued: &[&["-o", "--output"], &["--limit"]], flags: &["--json"] };

    fn parse(args: &[&str]) -> Result<Args, String> {
        Args::parse(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>(), &SPEC)
    }

    #[test]
    fn options_values_and_positional_arguments() {
        struct Case {
            name: &'static str,
            args: &'static [&'static str],
            positional: &'static [&'static str],
            output: Option<&'static str>,
            limit: Option<&'static str>,
            json: bool,
            help: bool,
        }
        #[rustfmt::skip]
        let cases = [
            Case { name: "plain", args: &["a", "b"], positional: &["a", "b"], output: None, limit: None, json: false, help: false },
            Case { name: "alias", args: &["--output", "x", "a"], positional: &["a"], output: Some("x"), limit: None, json: false, help: false },
            Case { name: "short", args: &["a", "-o", "x"], positional: &["a"], output: Some("x"), limit: None, json: false, help: false },
            Case { name: "inline value", args: &["--limit=5", "a"], positional: &["a"], output: None, limit: Some("5"), json: false, help: false },
            Case { name: "last wins", args: &["--limit", "1", "--limit", "2"], positional: &[], output: None, limit: Some("2"), json: false, help: false },
            Case { name: "flag", args: &["a", "--json"], positional: &["a"], output: None, limit: None, json: true, help: false },
            Case { name: "stdin", args: &["-"], positional: &["-"], output: None, limit: None, json: false, help: false },
            Case { name: "exclusion query", args: &["c.pack", "-putin rusuh"], positional: &["c.pack", "-putin rusuh"], output: None, limit: None, json: false, help: false },
            Case { name: "short after positional", args: &["c.pack", "-x"], positional: &["c.pack", "-x"], output: None, limit: None, json: false, help: false },
            Case { name: "double dash", args: &["--", "--json", "-o"], positional: &["--json", "-o"], output: None, limit: None, json: false, help: false },
            Case { name: "help", args: &["a", "--help"], positional: &["a"], output: None, limit: None, json: false, help: true },
            Case { name: "h", args: &["-h"], positional: &[], output: None, limit: None, json: false, help: true },
        ];
        let mut names: Vec<_> = cases.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), cases.len(), "case names are unique");
        for c in &cases {
            let args = parse(c.args).unwrap_or_else(|e| panic!("{}: {e}", c.name));
            assert_eq!(args.positional, c.positional, "{}", c.name);
            assert_eq!(args.value("-o"), c.output, "{}", c.name);
            assert_eq!(args.value("--limit"), c.limit, "{}", c.name);
            assert_eq!(args.has("--json"), c.json, "{}", c.name);
            assert_eq!(args.help, c.help, "{}", c.name);
        }
    }

    #[test]
    fn mistakes_are_named_with_the_usage() {
        for (args, said) in [
            (&["--nope"][..], "unknown option `--nope`"),
            (&["-x", "a"][..], "unknown option `-x`"),
            (&["--nope=1"][..], "unknown option `--nope`"),
            (&["-o"][..], "`-o` needs a value"),
            (&["--json=yes"][..], "`--json` takes no value"),
        ] {
            let err = parse(args).err().unwrap_or_else(|| panic!("{args:?} is refused"));
            assert!(err.starts_with(said), "{args:?}: {err}");
            assert!(err.ends_with("usage: sorot test"), "{args:?}: {err}");
        }
        let args = parse(&["--limit", "many"]).unwrap();
        assert_eq!(
            args.number("--limit", 10usize).unwrap_err(),
            "--limit takes a whole number, not \"many\""
        );
        assert_eq!(parse(&[]).unwrap().number("--limit", 10usize), Ok(10));
    }
}
