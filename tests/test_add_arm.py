"""Issue 20's claim, tested on a copy of the package: an arm with options of its own is one new
file plus one registry line. The new arm's options dataclass reaches TrainConfig, its preset and
its CLI (`pgrpo train temper --temper 2`), another arm given its flag is refused by name, a run's
config.json round-trips, and `pgrpo smoke` trains it and sees its hook fire. Nothing else of the
package is edited: if adding an option needed config.py, this test would fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "projected_grpo"

ARM = '''"""temper: rewards times --temper (a test arm: one file, one registry line)."""

from dataclasses import dataclass
from typing import ClassVar

from projected_grpo.train.arms.base import Arm


@dataclass(frozen=True)
class TemperOptions:
    about: ClassVar[str] = "scales the rewards"
    lacks: ClassVar[str] = "scales nothing"

    temper: float = 1.0
    """reward multiplier of the temper arm"""


class Temper(Arm):
    name = "temper"
    summary = "rewards times --temper"
    options = (TemperOptions,)
    metric_columns = ("shaping/tempered",)

    @classmethod
    def smoke_paths(cls, cfg, rows):
        return {"tempered": any(r.get("shaping/tempered") is not None for r in rows)}

    def shape_rewards(self, rewards, batch, beh, step, oracle):
        return rewards * self.cfg.temper, {"tempered": self.cfg.temper}
'''

CHECKS = '''
import dataclasses, json, sys
from projected_grpo.train.config import ConfigError, TrainConfig, preset
cfg = preset("smoke", "temper", temper=2.0)
assert cfg.temper == 2.0 and TrainConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg
try:
    preset("smoke", "vanilla", temper=2.0)
    sys.exit("vanilla accepted --temper")
except ConfigError as e:
    assert "arm 'vanilla' scales nothing" in str(e) and "temper" in str(e), e
'''


def _package_with_temper(tmp: Path) -> dict:
    pkg = tmp / "src" / "projected_grpo"
    shutil.copytree(SRC, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    (pkg / "train" / "arms" / "temper.py").write_text(ARM)
    registry = pkg / "train" / "arms" / "__init__.py"
    text = registry.read_text()
    anchor = "from projected_grpo.train.arms.vanilla import Vanilla\n"
    assert anchor in text and "    RouteV," in text
    registry.write_text(text.replace(anchor, anchor + "from projected_grpo.train.arms.temper import Temper\n")
                        .replace("    RouteV,", "    Temper, RouteV,"))  # the one registry line
    return {**os.environ, "PYTHONPATH": str(tmp / "src")}


def _pgrpo(env, *args):
    return subprocess.run([sys.executable, "-c", "import sys; from projected_grpo.cli import entry; sys.argv[0] = 'pgrpo'; entry()",
                           *args], capture_output=True, text=True, env=env, timeout=600)


def test_an_arm_with_its_own_options_is_one_file_and_one_registry_line(tmp_path):
    env = _package_with_temper(tmp_path)
    r = subprocess.run([sys.executable, "-c", CHECKS], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]

    help_ = _pgrpo(env, "train", "temper", "--help")
    assert help_.returncode == 0 and "--temper FLOAT" in help_.stdout and "reward multiplier" in help_.stdout
    assert "--temper" not in _pgrpo(env, "train", "erase", "--help").stdout  # not another arm's option
    refused = _pgrpo(env, "train", "vanilla", "--temper", "2")
    assert refused.returncode == 2 and "scales nothing" in refused.stderr and "Traceback" not in refused.stderr

    smoke = _pgrpo(env, "smoke", "--arms", "temper", "--out", str(tmp_path / "runs"), "--workers", "2")
    assert smoke.returncode == 0, (smoke.stdout + smoke.stderr)[-3000:]
    assert "every path fired" in smoke.stdout
    cfg = (tmp_path / "runs" / "smoke-temper-s0" / "config.json").read_text()
    assert '"temper": 1.0' in cfg
