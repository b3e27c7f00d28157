using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Coordination.Api.Kernel;

sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.ToTable("audit_events");
        e.Property(a => a.Action).HasMaxLength(60);
        e.Property(a => a.Channel).HasMaxLength(8).HasDefaultValue(AuditChannel.Web);
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.CommuneCode, a.At });
        e.HasIndex(a => new { a.ProvinceCode, a.At });
    }
}

sealed class IdempotentResponseConfiguration : IEntityTypeConfiguration<IdempotentResponse>
{
    public void Configure(EntityTypeBuilder<IdempotentResponse> e)
    {
        e.ToTable("idempotent_responses");
        e.HasKey(r => new { r.Principal, r.Key });
        e.Property(r => r.Principal).HasMaxLength(100);
        e.Property(r => r.Key).HasMaxLength(200);
        e.HasIndex(r => r.CreatedAt);   // the hourly purge
    }
}
