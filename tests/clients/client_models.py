"""The tiny models the client checks run: transformers configs built in code (2 layers,
hidden 32, vocabulary 99) and timm model names with their input shapes.

Each HF builder runs after ``torch.manual_seed(0)`` and returns
``(model, inputs, labels, generate_inputs or None)``.
"""
import torch

VOCAB = 99


def _ids(batch=2, length=7, low=3):
    # token ids >= 3 keep clear of the pad/bos/eos ids these configs use (0, 1, 2)
    return torch.randint(low, VOCAB, (batch, length))


def _causal(config_cls, model_cls, **cfg):
    def build():
        model = model_cls(config_cls(vocab_size=VOCAB, **cfg))
        ids = _ids()
        return model, {"input_ids": ids}, ids, {"input_ids": ids[:1, :4]}
    return build


def _masked(config_cls, model_cls, **cfg):
    def build():
        model = model_cls(config_cls(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=4, intermediate_size=64,
                                     max_position_embeddings=64, **cfg))
        ids = _ids()
        mask = torch.ones_like(ids)
        mask[1, -2:] = 0  # a padded second row: the attention mask reaches SDPA
        return model, {"input_ids": ids, "attention_mask": mask}, ids, None
    return build


def _t5():
    from transformers import T5Config, T5ForConditionalGeneration
    model = T5ForConditionalGeneration(T5Config(
        vocab_size=VOCAB, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4,
        decoder_start_token_id=0, pad_token_id=0, eos_token_id=1))
    ids, labels = _ids(), _ids(length=5)
    return model, {"input_ids": ids, "decoder_input_ids": labels}, labels, \
        {"input_ids": ids[:1]}


def _vit():
    from transformers import ViTConfig, ViTForImageClassification
    model = ViTForImageClassification(ViTConfig(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        image_size=32, patch_size=8, num_labels=5))
    pixels = torch.randn(2, 3, 32, 32)
    return model, {"pixel_values": pixels}, torch.tensor([1, 3]), None


def _whisper():
    from transformers import WhisperConfig, WhisperForConditionalGeneration
    model = WhisperForConditionalGeneration(WhisperConfig(
        vocab_size=VOCAB, d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=64,
        decoder_ffn_dim=64, num_mel_bins=16, max_source_positions=16, max_target_positions=32,
        pad_token_id=0, bos_token_id=1, eos_token_id=2, decoder_start_token_id=1,
        suppress_tokens=[], begin_suppress_tokens=[]))
    feats = torch.randn(2, 16, 32)  # (batch, mel bins, 2 * max_source_positions)
    labels = _ids(length=5)
    return model, {"input_features": feats, "decoder_input_ids": labels}, labels, \
        {"input_features": feats[:1]}


def _hf_models():
    import transformers as tf
    small_decoder = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                         eos_token_id=2)
    return {
        "gpt2": _causal(tf.GPT2Config, tf.GPT2LMHeadModel, n_layer=2, n_embd=32, n_head=4,
                        n_positions=64, bos_token_id=1, eos_token_id=2),
        "llama": _causal(tf.LlamaConfig, tf.LlamaForCausalLM, **small_decoder),
        "bert": _masked(tf.BertConfig, tf.BertForMaskedLM),
        "t5": _t5,
        "roberta": _masked(tf.RobertaConfig, tf.RobertaForMaskedLM, pad_token_id=1),
        "mistral": _causal(tf.MistralConfig, tf.MistralForCausalLM, sliding_window=None,
                           **small_decoder),
        "vit": _vit,
        "whisper": _whisper,
    }


class _Lazy(dict):
    """The builder table, filled on first use (importing transformers takes seconds)."""

    def _fill(self):
        if not dict.__len__(self):
            self.update(_hf_models())

    def __contains__(self, key):
        return key in HF_NAMES

    def __getitem__(self, key):
        self._fill()
        return dict.__getitem__(self, key)


HF_NAMES = ("gpt2", "llama", "bert", "t5", "roberta", "mistral", "vit", "whisper")
HF_MODELS = _Lazy()

TIMM_MODELS = {
    "resnet18": {"kwargs": {}, "input": (2, 3, 64, 64)},
    "convnext_atto": {"kwargs": {}, "input": (2, 3, 64, 64)},
    "vit_tiny_patch16_224": {"kwargs": {}, "input": (1, 3, 224, 224)},
    "efficientnet_b0": {"kwargs": {}, "input": (2, 3, 64, 64)},
}
