"""The miniature framework in samples/framework: its implementation compiles with TypeScript's
own compiler (packages and apps together, as its tsconfig says), and the testing API does
what its declarations promise when run in node (skipped without node).

The sample is the project's own code, not ingested code: compiling and running it is safe.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from corpusforge.transform.typecheck import TEST_RUNNER_GLOBALS

from .conftest import ROOT

SAMPLE = ROOT / "samples" / "framework"


def _copy(tmp_path: Path) -> Path:
    """The sample in a scratch folder, with Jest's globals declared loosely (no @types/jest here)."""
    target = tmp_path / "framework"
    shutil.copytree(SAMPLE, target)
    (target / "test-runner-globals.d.ts").write_text(TEST_RUNNER_GLOBALS, encoding="utf-8")
    return target


def _tsc(tsc: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(tsc), *args, "--pretty", "false"], cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False)


def test_the_sample_framework_and_its_apps_compile(tsc, tmp_path):
    root = _copy(tmp_path)
    config = json.loads((root / "tsconfig.json").read_text(encoding="utf-8"))
    config["compilerOptions"]["types"] = []
    config["include"].append("test-runner-globals.d.ts")
    (root / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    done = _tsc(tsc, root, "-p", "tsconfig.json")
    assert done.returncode == 0, done.stdout


RENDER_SCRIPT = """
const t = require('./out/packages/dframe/src/testing.js');
const { DFrame } = require('./out/packages/dframe/src/index.js');
const h = DFrame.h;
const Theme = DFrame.createContext('light');
const Show = () => h('p', null, 'theme: ' + DFrame.useContext(Theme));
const Wrapper = ({ children }) => h(Theme.Provider, { value: 'dark' }, children);
const Counter = () => {
  const [n, bump] = DFrame.useReducer((count) => count + 1, 0);
  const later = DFrame.useRef(null);
  return h('button', { onClick: () => bump(), title: String(later.current) }, 'count ' + n);
};
const wrapped = t.render(h(Show, null), { wrapper: Wrapper });
const plain = t.render(h(Show, null));
const counter = t.render(h(Counter, null));
t.fireEvent.click(counter.getByRole('button'));
const out = {
  wrapped: t.textContent(wrapped.getByText('theme: dark')),
  plain: t.textContent(plain.getByText('theme: light')),
  wrappedSeesOnlyItsOwn: wrapped.queryByText('theme: light'),
  screenSeesAll: t.screen.getAllByText(/theme/).length,
  counted: t.textContent(counter.getByRole('button')),
  refTitle: counter.getByText('count 1').props.title,
};
wrapped.rerender(h('span', null, 'again'));
out.rerenderKeepsWrapper = wrapped.container.children.length;
out.afterRerender = t.textContent(wrapped.getByText('again'));
t.cleanup();
out.afterCleanup = t.screen.queryByText('again');
console.log(JSON.stringify(out));
"""


def test_render_takes_a_wrapper_and_returns_queries_bound_to_what_it_rendered(tsc, tmp_path):
    root = _copy(tmp_path)
    done = _tsc(tsc, root, "--outDir", "out", "--rootDir", ".", "--module", "commonjs", "--target", "ES2020",
                "--lib", "ES2020,DOM", "--jsx", "react", "--jsxFactory", "DFrame.h", "--jsxFragmentFactory",
                "DFrame.Fragment", "--skipLibCheck", "test-runner-globals.d.ts",
                "packages/dframe/src/index.ts", "packages/dframe/src/testing.ts")
    assert done.returncode == 0, done.stdout
    (root / "run.js").write_text(RENDER_SCRIPT, encoding="utf-8")
    ran = subprocess.run(["node", "run.js"], cwd=root, capture_output=True, text=True, timeout=60, check=False)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {
        "wrapped": "theme: dark", "plain": "theme: light", "wrappedSeesOnlyItsOwn": None, "screenSeesAll": 2,
        "counted": "count 1", "refTitle": "null", "rerenderKeepsWrapper": 1, "afterRerender": "again",
        "afterCleanup": None,
    }
