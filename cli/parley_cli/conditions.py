"""The template's Conditions, decided from parameter values as CloudFormation would (for the local
stack and the tests): Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition."""

from typing import Any


def decide(template: dict[str, Any], known: dict[str, str]) -> dict[str, bool]:
    """Each condition of the template, true or false for these parameter values."""
    definitions: dict[str, Any] = template.get("Conditions", {})

    def holds(expression: Any) -> bool:
        match expression:
            case {"Fn::Equals": [left, right]}:
                return _value(left, known) == _value(right, known)
            case {"Fn::Not": [inner]}:
                return not holds(inner)
            case {"Fn::And": list(parts)}:
                return all(holds(part) for part in parts)
            case {"Fn::Or": list(parts)}:
                return any(holds(part) for part in parts)
            case {"Condition": str(name)}:
                return holds(definitions[name])
        raise ValueError(f"the local stack cannot decide the condition {expression!r}")

    return {name: holds(expression) for name, expression in definitions.items()}


def _value(value: Any, known: dict[str, str]) -> str:
    if isinstance(value, dict) and "Ref" in value:
        return known[value["Ref"]]
    if isinstance(value, str | int | float | bool):
        return str(value)
    raise ValueError(f"the local stack cannot compare {value!r}")
