def hello(who: str) -> str:
    return f"Hello from {who}, via the greeting workspace library!"
