"""torch._dynamo.config: the settings jtorch's compiler reads."""
cache_size_limit = 8        # programs per compiled callable; past it, calls run eagerly
recompile_limit = 8
suppress_errors = False
verbose = False
