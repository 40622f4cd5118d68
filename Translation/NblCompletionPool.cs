using CoNdis.NetBufferCore;
using CoNdis.NetBufferCore.Pools;

namespace CoNdis.Translation;

/// <summary>A bounded, lock-free pool of <see cref="NblCompletion"/> records (the NdisPool machinery and its verifier checks).</summary>
internal sealed class NblCompletionPool : NdisPool<NblCompletion>
{
    public NblCompletionPool(NdisHandle handle, int capacity, string name)
        : base(handle, name, capacity)
    {
    }

    public NblCompletion? Allocate() => Rent();

    public void Free(NblCompletion completion) => Return(completion);

    protected override NblCompletion CreateObject() => new();
}
