// What a native pass over a tree-sitter tree costs next to the parse that made it.
//
// Reads a folder of .ts/.tsx files (benchmarks/native_walk.py writes it), then for each file,
// three rounds: parse; a bare cursor walk over every node; a walk that indexes every
// identifier by name and marks it as declared when its parent is a declaring construct,
// once with the parent's kind kept on the walk's own stack and once asking each identifier
// for `node.parent()` (which tree-sitter answers by descending from the root); and the
// Aho-Corasick scan for the rule pack's trigger words. Prints one JSON object: the fastest
// round's seconds for each.
use std::collections::HashMap;
use std::time::Instant;
use tree_sitter::{Parser, TreeCursor};

const IDENTIFIERS: &[&str] = &["identifier", "type_identifier", "property_identifier",
    "shorthand_property_identifier"];
const DECLARING: &[&str] = &["variable_declarator", "required_parameter", "optional_parameter",
    "catch_clause", "for_in_statement", "arrow_function", "function_declaration",
    "generator_function_declaration", "function_expression", "class_declaration", "class",
    "import_specifier", "namespace_import", "import_clause", "type_alias_declaration",
    "interface_declaration", "enum_declaration", "type_parameter",
    "shorthand_property_identifier_pattern", "pair_pattern", "object_pattern", "array_pattern",
    "assignment_pattern"];
const TRIGGERS: &[&str] = &["@testing-library/react", "Component", "Function", "JSON", "any", "axios",
    "catch", "componentDidCatch", "console", "dangerouslySetInnerHTML", "eval", "fetch",
    "getDerivedStateFromError", "jest", "react"];

type Index = HashMap<Vec<u8>, Vec<(usize, bool)>>;

fn bare_walk(cursor: &mut TreeCursor) -> usize {
    let mut visited = 0;
    loop {
        visited += 1;
        if cursor.goto_first_child() { continue; }
        loop {
            if cursor.goto_next_sibling() { break; }
            if !cursor.goto_parent() { return visited; }
        }
    }
}

/// The identifier index; `stack`: the parent's kind from the walk, else `node.parent()`.
fn index_walk(cursor: &mut TreeCursor, src: &[u8], stack: bool, index: &mut Index) {
    let mut kinds: Vec<&'static str> = vec![""];
    loop {
        let node = cursor.node();
        let kind = node.kind();
        if IDENTIFIERS.contains(&kind) {
            let parent = if stack { *kinds.last().unwrap() } else { node.parent().map(|p| p.kind()).unwrap_or("") };
            index.entry(src[node.start_byte()..node.end_byte()].to_vec()).or_default()
                .push((node.start_byte(), DECLARING.contains(&parent)));
        }
        if cursor.goto_first_child() { kinds.push(kind); continue; }
        loop {
            if cursor.goto_next_sibling() { break; }
            if !cursor.goto_parent() { return; }
            kinds.pop();
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: native_walk FOLDER");
    let mut files: Vec<(Vec<u8>, bool)> = std::fs::read_dir(&dir).expect("a folder of .ts/.tsx files")
        .map(|e| {
            let path = e.unwrap().path();
            let tsx = path.extension().map(|x| x == "tsx").unwrap_or(false);
            (std::fs::read(&path).unwrap(), tsx)
        }).collect();
    files.sort();
    let typescript: tree_sitter::Language = tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into();
    let tsx: tree_sitter::Language = tree_sitter_typescript::LANGUAGE_TSX.into();
    let mut parsers = [Parser::new(), Parser::new()];
    parsers[0].set_language(&typescript).unwrap();
    parsers[1].set_language(&tsx).unwrap();
    let automaton = aho_corasick::AhoCorasick::new(TRIGGERS).unwrap();
    let mut best = [f64::MAX; 5];
    let (mut nodes, mut identifiers) = (0usize, 0usize);
    for _ in 0..3 {
        let mut t = [0f64; 5];
        nodes = 0;
        identifiers = 0;
        for (src, is_tsx) in &files {
            let start = Instant::now();
            let tree = parsers[*is_tsx as usize].parse(src, None).unwrap();
            t[0] += start.elapsed().as_secs_f64();
            let start = Instant::now();
            nodes += bare_walk(&mut tree.walk());
            t[1] += start.elapsed().as_secs_f64();
            for (slot, stack) in [(2, true), (3, false)] {
                let start = Instant::now();
                let mut index = Index::new();
                index_walk(&mut tree.walk(), src, stack, &mut index);
                t[slot] += start.elapsed().as_secs_f64();
                if stack { identifiers += index.values().map(Vec::len).sum::<usize>(); }
            }
            let start = Instant::now();
            let mut found = [false; TRIGGERS.len()];
            for m in automaton.find_overlapping_iter(src.as_slice()) { found[m.pattern().as_usize()] = true; }
            std::hint::black_box(found);
            t[4] += start.elapsed().as_secs_f64();
        }
        for i in 0..5 { best[i] = best[i].min(t[i]); }
    }
    println!("{{\"files\": {}, \"nodes\": {}, \"identifiers\": {}, \"parse_s\": {:.4}, \"bare_walk_s\": {:.4}, \
              \"index_walk_stack_s\": {:.4}, \"index_walk_node_parent_s\": {:.4}, \"trigger_scan_s\": {:.4}}}",
             files.len(), nodes, identifiers, best[0], best[1], best[2], best[3], best[4]);
}
