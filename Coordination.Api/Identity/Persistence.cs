using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Coordination.Api.Identity;

sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> e)
    {
        e.Property(u => u.Role).HasMaxLength(30);
        e.Property(u => u.ScopeKind).HasMaxLength(20);
        e.Property(u => u.ScopeCode).HasMaxLength(10);
        // A number speaks for one official only (README "SMS commands").
        e.HasIndex(u => u.PhoneNumber).IsUnique().HasFilter("phone_number IS NOT NULL");
        e.ToTable(t => t.HasCheckConstraint("ck_users_role", "role IN ('commune_leader','defense_commander','province_operator','admin')"));
    }
}
