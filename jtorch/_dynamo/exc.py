"""torch._dynamo.exc: the errors a compiled call raises."""


class TorchDynamoException(RuntimeError):
    pass


class Unsupported(TorchDynamoException):
    """Code that cannot be traced into one program (a graph break) under fullgraph=True."""


class RecompileLimitExceeded(Unsupported):
    pass
