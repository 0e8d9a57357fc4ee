namespace ControlPlane.Faults.Checks;

/// <summary>An allowed change the audit log holds: its action (Provisioning/CreateInstance) and target (the instance).</summary>
public readonly record struct AuditedChange(string Action, string Target);
