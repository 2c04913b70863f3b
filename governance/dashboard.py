"""The dashboard gathers the panels each app offers a person. Apps register their
provider in ``AppConfig.ready()``, so this bottom layer imports none of them; panels
appear in the order the apps are installed."""

from collections.abc import Callable

PanelProvider = Callable[[object], list[dict]]

_providers: list[PanelProvider] = []


def register_panels(provider: PanelProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def panels_for(user) -> list[dict]:
    return [panel for provider in _providers for panel in provider(user)]
