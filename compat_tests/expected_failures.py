"""Seed examples known not to match torch yet, with the missing feature. They run as
strict xfails: an example that starts matching fails the suite until its entry is removed."""

_NN = "needs torch.nn (Module, layers, functional) — issue 7"
_NN_DATA = "needs torch.nn and torch.utils.data — issues 7 and 8"
_TRAIN = "needs torch.nn, torch.utils.data and torch.optim — issues 7 and 8"

EXPECTED_FAILURES = {
    "000/10_activations": "needs torch.nn.functional (leaky_relu, elu) — issue 7",
    "000/15_hidden_layer_module": _NN,
    "002/38_cifar_examine": _NN_DATA,
    "002/39_dataloader_batches": _NN_DATA,
    "002/40_cnn_model": "needs torch.nn Conv2d/MaxPool2d/Linear — issue 7",
    "002/41_cnn_training": _TRAIN,
    "002/42_cnn_training_validation": _TRAIN,
    "004/22_custom_module": _NN,
    "004/23_sequential": _NN,
    "004/24_dropout_softmax_model": _NN,
    "004/25_functional_relu": "needs torch.nn.functional — issue 7",
    "004/26_cross_entropy": _NN,
    "004/27_sine_data": "imports torch.nn / torch.utils.data — issues 7 and 8",
    "004/28_sine_dataloader": _NN_DATA,
    "004/29_sine_model": _NN,
    "004/30_sine_training": _TRAIN,
}
