"""Pretrained weights are not bundled: jtorch.vision cannot download. A model builder given
``weights=`` other than None says so; load a torchvision state_dict with load_state_dict."""


def check_no_weights(weights, kwargs):
    if kwargs.pop("pretrained", False) or weights is not None:
        raise NotImplementedError(
            "jtorch.vision does not download pretrained weights; build the model with "
            "weights=None and load a torchvision state_dict (torch.load + load_state_dict)")
