using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;

namespace ControlPlane.Grains.Operations;

/// <summary>A new operation as its workflow drafted it: the engine writes it PENDING, with the instance it acts on and that instance's GPU model.</summary>
public sealed record OperationDraft(OperationInfo Operation, InstanceInfo? Instance, string GpuModel);
