"""Build step for the loader's optional C fast path (checker/_fastyaml.c over the vendored libyaml).

Everything else about the package is in pyproject.toml. The extension is optional: where it cannot be
compiled (no C compiler, PyPy), the install still succeeds and checker.source.yaml_tree uses its Python builder,
which gives the same values, spans and messages, only slower.
"""

from setuptools import Extension, setup

LIBYAML = "third_party/libyaml"

setup(
    ext_modules=[
        Extension(
            "checker._fastyaml",
            sources=["checker/_fastyaml.c", *(f"{LIBYAML}/{name}.c" for name in ("api", "reader", "scanner", "parser"))],
            include_dirs=[LIBYAML],
            define_macros=[("HAVE_CONFIG_H", "1"), ("YAML_DECLARE_STATIC", "1")],
            optional=True,
        )
    ]
)
