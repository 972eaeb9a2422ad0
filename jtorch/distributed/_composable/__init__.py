"""torch.distributed._composable: the FSDP entry point's import path."""
