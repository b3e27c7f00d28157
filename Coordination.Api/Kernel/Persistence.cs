using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Coordination.Api.Kernel;

sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.ToTable("audit_events");
        e.Property(a => a.Action).HasMaxLength(60);
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.CommuneCode, a.At });
        e.HasIndex(a => new { a.ProvinceCode, a.At });
    }
}
