//! The benchmarks' summary: one row per figure, a column per multiplexer
//! (tmux and Zellij first, as the performance issue's table has them), the
//! ratios of Revenant's figure to theirs, and whether the goal was met.

pub struct Table {
    /// Multiplexer names, in the order their values are given.
    names: Vec<&'static str>,
    lines: Vec<String>,
}

impl Table {
    pub fn new(names: Vec<&'static str>) -> Table {
        Table { names, lines: Vec::new() }
    }

    /// The column order: the others, then Revenant.
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.names.len()).filter(|&i| self.names[i] != "revenant").collect();
        order.extend((0..self.names.len()).filter(|&i| self.names[i] == "revenant"));
        order
    }

    pub fn row(&mut self, figure: &str, values: &[Option<f64>], fmt: impl Fn(f64) -> String, goal: Goal) {
        self.push(figure, values, None, &fmt, goal);
    }

    /// A row with the raw limit (no multiplexer) beside it.
    pub fn row_with_raw(
        &mut self,
        figure: &str,
        values: &[Option<f64>],
        raw: f64,
        fmt: impl Fn(f64) -> String,
        goal: Goal,
    ) {
        self.push(figure, values, Some(raw), &fmt, goal);
    }

    /// Values for a figure only Revenant has (the others' columns empty).
    pub fn ours(&self, value: f64) -> Vec<Option<f64>> {
        self.names.iter().map(|n| (*n == "revenant").then_some(value)).collect()
    }

    fn value(&self, values: &[Option<f64>], name: &str) -> Option<f64> {
        self.names.iter().position(|n| *n == name).and_then(|i| values.get(i).copied().flatten())
    }

    fn push(
        &mut self,
        figure: &str,
        values: &[Option<f64>],
        raw: Option<f64>,
        fmt: &dyn Fn(f64) -> String,
        goal: Goal,
    ) {
        let ours = self.value(values, "revenant");
        let mut cells = vec![figure.to_string()];
        for i in self.order() {
            let mut cell = values.get(i).copied().flatten().map_or("—".into(), fmt);
            if self.names[i] == "revenant"
                && let (Some(r), Some(_)) = (raw, ours)
            {
                cell = format!("{cell} (raw {})", fmt(r));
            }
            cells.push(cell);
        }
        let mut ratios = Vec::new();
        if let (Some(r), Some(v)) = (raw, ours) {
            ratios.push(format!("{:.2}× raw", v / r));
        }
        for name in self.names.iter().filter(|n| **n != "revenant") {
            if let (Some(theirs), Some(v)) = (self.value(values, name), ours)
                && theirs > 0.0
            {
                ratios.push(format!("{:.2}× {name}", v / theirs));
            }
        }
        cells.push(if ratios.is_empty() { "—".into() } else { ratios.join(", ") });
        let (text, met) = match goal {
            Goal::AtMost(name, factor) => {
                let met = ours.zip(self.value(values, name)).map(|(v, t)| v <= t * factor);
                (if factor == 1.0 { format!("≤ {name}") } else { format!("≤ {factor} × {name}") }, met)
            }
            Goal::RawTimes(factor) => (format!("≤ {factor} × raw"), ours.zip(raw).map(|(v, r)| v <= r * factor)),
            Goal::None => ("—".into(), None),
        };
        cells.push(text);
        cells.push(match met {
            Some(true) => "met".into(),
            Some(false) => "not met".into(),
            None => "—".into(),
        });
        self.lines.push(format!("| {} |", cells.join(" | ")));
    }

    pub fn print(&self) {
        let mut head = vec!["figure".to_string()];
        head.extend(self.order().into_iter().map(|i| self.names[i].to_string()));
        head.extend(["Revenant ÷ others".into(), "goal".into(), "".into()]);
        println!("| {} |", head.join(" | "));
        println!("|{}", " --- |".repeat(head.len()));
        for line in &self.lines {
            println!("{line}");
        }
    }
}

pub enum Goal {
    /// At most `factor` times the named multiplexer's figure.
    AtMost(&'static str, f64),
    /// At most `factor` times the raw figure.
    RawTimes(f64),
    None,
}
