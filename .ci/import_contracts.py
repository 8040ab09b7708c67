"""Import-linter contract types of Brückenbau's own (registered in ``.importlinter``).

``through_services``: a feature package is used from outside only through its
``services`` module. Routes, forms and helpers are the package's own business;
whoever else needs a rule from them gets it from the services, so that each
rule keeps one home and a package can be reworked without breaking others.
"""

from importlinter import Contract, ContractCheck, fields, output


class ThroughServicesContract(Contract):
    """Modules outside a feature package may import only ``<package>.services`` of it.

    Options: ``packages`` (the feature packages), ``public`` (the modules others
    may import, default ``services``), ``allowed_importers`` (modules that may
    import anything: the application factory registering blueprints, the one
    module registering template globals).
    """

    type_name = "through_services"

    packages = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField(), required=False, default=["services"])
    allowed_importers = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph, verbose: bool) -> ContractCheck:
        packages = list(self.packages)  # type: ignore[arg-type]
        allowed = set(self.allowed_importers)  # type: ignore[arg-type]
        illegal = []
        for package in packages:
            public = {package} | {f"{package}.{name}" for name in self.public}  # type: ignore[attr-defined]
            inside = {package} | graph.find_descendants(package)
            for imported in sorted(inside - public):
                for importer in sorted(graph.find_modules_that_directly_import(imported) - inside - allowed):
                    lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
                    illegal.append((importer, imported, lines))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(
                f"- {importer} -> {imported} (l.{', '.join(map(str, lines))}): "
                f"use {' or '.join(self.public)} of that package instead",  # type: ignore[attr-defined]
                bold=False,
            )
            output.new_line()
