"""Input normalisers shared by the request models and the settings."""


def blank_to_none(value: object) -> object:
    """An empty or all-whitespace string means the field was left out."""
    if isinstance(value, str) and not value.strip():
        return None
    return value
