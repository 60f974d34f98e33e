"The shape of the library: no import circles among its modules, and no module too long to read (issue 17)."
import ast
from pathlib import Path

LIB = Path(__file__).resolve().parent.parent/"syria_notes"
MAX_LINES = 450  # STYLE.md: "up to roughly 400 exported lines; split when it grows past that"

# Allowed offenders: empty since the splits of issue 17 (articles, inputs, gazetteer, recognise, cli) and since the
# ranker's training left the ranker (ranker -> places/evaluate -> ranker). A name put here must be taken out as soon
# as its module is fixed: the tests below fail on a name listed that no longer needs to be.
KNOWN_LONG: set[str] = set()
KNOWN_CYCLE_MODULES: set[str] = set()


def library_imports(path:Path) -> set[str]:
    "The library modules `path` imports, at module level or inside functions: `from .x`, `from syria_notes.x`, `import syria_notes.x`."
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1: base = node.module  # from .x import y, or from . import x
            elif node.level == 0 and (node.module or "").split(".")[0] == "syria_notes": base = node.module.partition(".")[2] or None
            else: continue
            if base: found.add(base.split(".")[0])
            else: found.update(a.name for a in node.names)  # `from . import x` / `from syria_notes import x`: x may be a module
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("syria_notes."))
    return found


def import_graph() -> dict[str, set[str]]:
    "Module name -> the library modules it imports (names that are not modules, like `__version__`, left out)."
    modules = {p.stem: p for p in LIB.glob("*.py") if p.stem not in ("__init__", "_modidx")}
    return {name: library_imports(path) & set(modules) - {name} for name, path in modules.items()}


def cycles(graph:dict[str, set[str]]) -> list[tuple[set[str], list[str]]]:
    "The strongly connected components of more than one module (Tarjan's algorithm), each with a closed path through it."
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    def visit(v):
        index[v] = low[v] = len(index); stack.append(v); on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on_stack: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop(); on_stack.discard(w); component.add(w)
                if w == v: break
            if len(component) > 1: out.append((component, path_through(graph, component)))
    for v in sorted(graph):
        if v not in index: visit(v)
    return out


def path_through(graph:dict[str, set[str]], component:set[str]) -> list[str]:
    "A cycle inside `component`, as a list of modules that starts and ends with the same one: what to read in a failure."
    start = min(component)
    paths, seen = [[start]], {start}
    while paths:  # breadth first: the shortest way back to `start`
        path = paths.pop(0)
        for w in sorted(graph[path[-1]] & component):
            if w == start: return path + [start]
            if w not in seen: seen.add(w); paths.append(path + [w])
    return sorted(component)


def test_import_graph_is_read():
    "The parser sees both kinds of import, so that the cycle test cannot pass by seeing nothing."
    graph = import_graph()
    assert "core" in graph["articles"]            # module level: from .core import ...
    assert "articles" in graph["cli"]             # in a function: from syria_notes.articles import article_record
    assert {"quotes", "dates", "figures"} <= graph["articles"]


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    unexpected = [(component, path) for component, path in found if not component <= KNOWN_CYCLE_MODULES]
    assert not unexpected, "import cycles among the library's modules: " + "; ".join(
        f"{' -> '.join(path)} (the circle holds {', '.join(sorted(component))})" for component, path in unexpected)
    still = set().union(*(component for component, _ in found))
    assert not KNOWN_CYCLE_MODULES - still, (f"{sorted(KNOWN_CYCLE_MODULES - still)} are in no cycle any more: "
                                             "take them out of KNOWN_CYCLE_MODULES")


def test_cycle_finder_names_the_cycle():
    found = cycles({"articles": {"text", "quotes"}, "quotes": {"articles"}, "text": set()})
    assert found == [({"articles", "quotes"}, ["articles", "quotes", "articles"])]


def test_no_long_modules():
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in LIB.glob("*.py") if p.name != "_modidx.py"}
    long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    unexpected = {name: n for name, n in long.items() if name not in KNOWN_LONG}
    assert not unexpected, f"modules over {MAX_LINES} lines (split them along their seams): " + \
        ", ".join(f"{name} ({n})" for name, n in sorted(unexpected.items()))
    fixed = KNOWN_LONG - set(long)
    assert not fixed, f"{sorted(fixed)} are {MAX_LINES} lines or fewer now: take them out of KNOWN_LONG"
