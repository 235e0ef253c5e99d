"""The production image cannot be built here (no Docker engine), so its Django build steps are replayed: each
`python manage.py …` of the Dockerfile's RUN instructions runs in a fresh process, in a copy of the build
context, with exactly the environment Docker gives it: the ENV instructions before it and the variables its
RUN line sets, nothing from this machine's environment."""

import fnmatch
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("SECRET_KEY", "IDENTIFIER_PEPPER", "IDENTIFIER_ENCRYPTION_KEYS")
# What the python base image itself sets; this machine's interpreter stands in for the image's.
BASE_IMAGE_ENV = {"LANG": "C.UTF-8", "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"}


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    logical, current = [], ""
    for line in dockerfile.read_text().splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.lstrip().startswith("#"):  # a comment inside a continued instruction
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    return [(text.split(None, 1)[0].upper(), text.split(None, 1)[1]) for text in logical]


def env_instruction(arguments: str) -> dict[str, str]:
    words = shlex.split(arguments)
    if "=" not in words[0]:  # the legacy form: ENV NAME value with spaces
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words)


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a RUN line (split at &&, || and ;), each as its words."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    commands, words = [], []
    for token in lexer:
        if token in ("&&", "||", ";"):
            commands.append(words)
            words = []
        else:
            words.append(token)
    return [command for command in [*commands, words] if command]


def assignments(words: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading NAME=value words of a command, and the words left."""
    found = {}
    while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
        name, value = words[0].split("=", 1)
        found[name] = value
        words = words[1:]
    return found, words


def manage_steps(dockerfile: Path) -> list[tuple[list[str], dict[str, str]]]:
    """Every `python manage.py …` the build runs, with the environment Docker gives that process."""
    image_env, steps = {}, []
    for instruction, arguments in instructions(dockerfile):
        if instruction == "ENV":
            image_env.update(env_instruction(arguments))
        elif instruction == "RUN":
            shell_env = {}  # `export` lasts for the rest of this RUN's shell, never into the image
            for words in shell_commands(arguments):
                if words[0] == "export":
                    shell_env.update(assignments(words[1:])[0])
                    continue
                inline, argv = assignments(words)
                if argv[:2] in (["python", "manage.py"], ["python3", "manage.py"]):
                    steps.append((argv[2:], {**image_env, **shell_env, **inline}))
    return steps


def build_context(destination: Path) -> Path:
    """Copy the repository as `COPY . .` would, leaving out what .dockerignore names."""
    patterns = [p.strip().rstrip("/") for p in (ROOT / ".dockerignore").read_text().splitlines() if p.strip()]

    def ignored(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(ROOT)
        return {
            name
            for name in names
            if any(fnmatch.fnmatch(str(relative / name), p) or fnmatch.fnmatch(name, p) for p in patterns)
        }

    shutil.copytree(ROOT, destination, ignore=ignored)
    return destination


@pytest.fixture(scope="module")
def steps():
    return manage_steps(ROOT / "Dockerfile")


def test_the_build_runs_the_translation_and_static_file_steps_with_debug_off(steps):
    commands = [argv[0] for argv, _env in steps]

    assert commands == ["compile_translations", "collectstatic"]
    assert all(env.get("DEBUG") == "false" for _argv, env in steps)


def test_the_build_only_secrets_are_dummies_that_never_reach_the_image(steps):
    image_env = {}
    for instruction, arguments in instructions(ROOT / "Dockerfile"):
        if instruction in ("ENV", "ARG"):
            image_env.update(env_instruction(arguments))

    assert not set(SECRETS) & set(image_env)  # containers get the real values from .env, or refuse to start
    for _argv, env in steps:
        assert env["SECRET_KEY"].startswith("build-only") and env["IDENTIFIER_PEPPER"].startswith("build-only")


def test_each_django_build_step_succeeds_with_exactly_the_environment_docker_gives_it(steps, tmp_path):
    app = build_context(tmp_path / "app")  # WORKDIR /app

    for argv, env in steps:
        result = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=app,
            env={**BASE_IMAGE_ENV, **env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {' '.join(argv)} failed:\n{result.stderr[-3000:]}"

    assert list((app / "locale").glob("*/LC_MESSAGES/django.mo"))  # .dockerignore drops them: compiled here
    assert (app / "staticfiles" / "staticfiles.json").exists()  # the manifest storage of DEBUG off
