"""The three summaries of TensorBoard's hparams plugin (experiment, session start, session
end) for SummaryWriter.add_hparams."""
from google.protobuf import struct_pb2
from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
from tensorboard.plugins.hparams import metadata
from tensorboard.plugins.hparams.api_pb2 import (DataType, Experiment, HParamInfo, MetricInfo,
                                                 MetricName, Status)
from tensorboard.plugins.hparams.plugin_data_pb2 import (HParamsPluginData, SessionEndInfo,
                                                         SessionStartInfo)

from jtorch import Tensor

from ._summary import make_np

# (Python type, proto field of a value, hparam data type); bool before int: bool is an int
_KINDS = ((bool, "bool_value", "DATA_TYPE_BOOL"), ((int, float), "number_value", "DATA_TYPE_FLOAT64"),
          (str, "string_value", "DATA_TYPE_STRING"))


def _check(hparam_dict, metric_dict, domains):
    if not isinstance(hparam_dict, dict):
        raise TypeError("parameter: hparam_dict should be a dictionary, nothing logged.")
    if not isinstance(metric_dict, dict):
        raise TypeError("parameter: metric_dict should be a dictionary, nothing logged.")
    if not isinstance(domains, dict):
        raise TypeError("parameter: hparam_domain_discrete should be a dictionary, nothing logged.")
    for k, v in domains.items():
        if k not in hparam_dict or not isinstance(v, list) or not all(
                isinstance(d, type(hparam_dict[k])) for d in v):
            raise TypeError(f"parameter: hparam_domain_discrete[{k}] should be a list of same type as "
                            f"hparam_dict[{k}].")


def _plugin_summary(tag, **content):
    data = HParamsPluginData(version=metadata.PLUGIN_DATA_VERSION, **content)
    smd = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(
        plugin_name=metadata.PLUGIN_NAME, content=data.SerializeToString()))
    return Summary(value=[Summary.Value(tag=tag, metadata=smd)])


def _info(ssi, k, v, domains):
    if isinstance(v, Tensor):
        ssi.hparams[k].number_value = make_np(v)[0]
        return HParamInfo(name=k, type=DataType.Value("DATA_TYPE_FLOAT64"))
    # torch tests int/float before bool, so a bool is logged as a number (True -> 1.0)
    for types, field, dtype in (_KINDS[1], _KINDS[2], _KINDS[0]):
        if isinstance(v, types):
            setattr(ssi.hparams[k], field, v)
            discrete = None
            if k in domains:
                discrete = struct_pb2.ListValue(values=[struct_pb2.Value(**{field: d}) for d in domains[k]])
            return HParamInfo(name=k, type=DataType.Value(dtype), domain_discrete=discrete)
    raise ValueError("value should be one of int, float, str, bool, or torch.Tensor")


def hparams(hparam_dict, metric_dict, hparam_domain_discrete=None):
    domains = hparam_domain_discrete or {}
    _check(hparam_dict, metric_dict, domains)
    ssi = SessionStartInfo()
    infos = [_info(ssi, k, v, domains) for k, v in hparam_dict.items() if v is not None]
    exp = Experiment(hparam_infos=infos, metric_infos=[MetricInfo(name=MetricName(tag=k))
                                                       for k in metric_dict])
    return (_plugin_summary(metadata.EXPERIMENT_TAG, experiment=exp),
            _plugin_summary(metadata.SESSION_START_INFO_TAG, session_start_info=ssi),
            _plugin_summary(metadata.SESSION_END_INFO_TAG,
                            session_end_info=SessionEndInfo(status=Status.Value("STATUS_SUCCESS"))))
