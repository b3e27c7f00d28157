namespace Coordination.Api.Aid;

/// <summary>The resource types shipped with the app (administrators add more through the API).</summary>
public static class Catalogue
{
    static ResourceType T(string code, string pillar, string vi, string en, string unitVi, string unitEn, bool returnable, bool persons = false) =>
        new() { Code = code, Pillar = pillar, NameVi = vi, NameEn = en, UnitVi = unitVi, UnitEn = unitEn, Returnable = returnable, Persons = persons };

    public static readonly ResourceType[] Default =
    [
        T("commander", Pillar.Command, "Cán bộ chỉ huy tại chỗ", "On-the-spot commander", "người", "persons", true, true),
        T("liaison", Pillar.Command, "Cán bộ liên lạc", "Liaison officer", "người", "persons", true, true),
        T("radio", Pillar.Command, "Bộ đàm", "Two-way radio", "chiếc", "units", true),
        T("satellite_phone", Pillar.Command, "Điện thoại vệ tinh", "Satellite phone", "chiếc", "units", true),

        T("militia", Pillar.Forces, "Dân quân tự vệ", "Militia (dân quân)", "người", "persons", true, true),
        T("police", Pillar.Forces, "Công an xã", "Commune police", "người", "persons", true, true),
        T("youth_volunteers", Pillar.Forces, "Thanh niên xung kích", "Youth volunteers", "người", "persons", true, true),
        T("medical_team", Pillar.Forces, "Nhân viên y tế", "Medical staff", "người", "persons", true, true),

        T("boat", Pillar.Means, "Thuyền, xuồng", "Boat", "chiếc", "boats", true),
        T("motor_boat", Pillar.Means, "Ca nô", "Motor boat", "chiếc", "boats", true),
        T("truck", Pillar.Means, "Xe tải", "Truck", "xe", "trucks", true),
        T("excavator", Pillar.Means, "Máy xúc", "Excavator", "máy", "machines", true),
        T("generator", Pillar.Means, "Máy phát điện", "Generator", "máy", "units", true),
        T("water_pump", Pillar.Means, "Máy bơm nước", "Water pump", "máy", "units", true),
        T("chainsaw", Pillar.Means, "Cưa máy", "Chainsaw", "chiếc", "units", true),
        T("life_jacket", Pillar.Means, "Áo phao", "Life jacket", "chiếc", "units", true),
        T("sandbag", Pillar.Means, "Bao cát", "Sandbag", "bao", "bags", false),

        T("food_ration", Pillar.Logistics, "Suất ăn", "Food ration", "suất", "rations", false),
        T("instant_noodles", Pillar.Logistics, "Mì tôm", "Instant noodles", "thùng", "cases", false),
        T("drinking_water", Pillar.Logistics, "Nước uống", "Drinking water", "bình 20 l", "20 l jugs", false),
        T("medicine_kit", Pillar.Logistics, "Cơ số thuốc", "Medicine kit", "cơ số", "kits", false),
        T("tarpaulin", Pillar.Logistics, "Bạt che", "Tarpaulin", "tấm", "sheets", false),
    ];
}
