// Shared by the map (app.js) and the admin page (admin.js): the string dictionary, DOM helpers, calls to the
// API (with the antiforgery header on writes) and the signed-in session with its header widget.
// All API text goes to the page through textContent only.

export const STRINGS = {
  vi: {
    title: 'Điều phối – Bản đồ xã, phường',
    appName: 'Điều phối',
    mapLabel: 'Bản đồ xã, phường',
    searchLabel: 'Tìm xã, phường',
    searchPlaceholder: 'Tìm xã, phường (gõ không dấu cũng được)',
    searching: 'Đang tìm…',
    noResults: 'Không tìm thấy xã, phường nào',
    formerName: 'tên cũ: {0}',
    switchLang: 'English',
    switchLangLabel: 'Switch to English',
    hint: 'Bấm vào một xã, phường trên bản đồ hoặc tìm theo tên.',
    loading: 'Đang tải…',
    loadError: 'Không tải được dữ liệu ({0}). Hãy thử lại.',
    close: 'Đóng',
    legend: 'Chú giải',
    legendSelected: 'Đang chọn',
    legendCorner: 'Chạm góc (không giáp ranh)',
    legendOwn: 'Địa bàn của tôi',
    ring1: 'Giáp ranh (vòng 1)',
    ring2: 'Vòng 2',
    corners: 'Chỉ chạm góc – không phải giáp ranh',
    notNeighbour: 'không giáp ranh',
    none: 'Không có',
    via: 'qua {0}',
    sharedBorder: 'Chiều dài ranh giới chung',
    distance: 'Khoảng cách giữa hai trung tâm',
    population: 'Dân số',
    approx: '(ước tính)',
    area: 'Diện tích',
    mergedFrom: 'Hợp nhất từ',
    adminCenter: 'Trụ sở',
    defenseArea: 'Khu vực phòng thủ',
    sample: '(dữ liệu mẫu)',
    code: 'Mã',
    kinds: { 'xã': 'Xã', 'phường': 'Phường', 'đặc khu': 'Đặc khu' },
    // sign-in
    signIn: 'Đăng nhập',
    signOut: 'Đăng xuất',
    signInTitle: 'Đăng nhập',
    userName: 'Tên đăng nhập',
    password: 'Mật khẩu',
    cancel: 'Hủy',
    signingIn: 'Đang đăng nhập…',
    badCredentials: 'Sai tên đăng nhập hoặc mật khẩu.',
    lockedOut: 'Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần.',
    lockedOutUntil: 'Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần, đến {0}.',
    tooManyAttempts: 'Quá nhiều lần thử. Hãy thử lại sau {0} giây.',
    tooManyAttemptsLater: 'Quá nhiều lần thử. Hãy thử lại sau ít phút.',
    requestFailed: 'Không thực hiện được yêu cầu ({0}).',
    sessionEnded: 'Phiên đăng nhập đã hết. Hãy đăng nhập lại.',
    signedInAs: 'Đã đăng nhập: {0}, {1}',
    roles: {
      admin: 'Quản trị',
      province_operator: 'Cán bộ tỉnh',
      defense_commander: 'Chỉ huy khu vực phòng thủ',
      commune_leader: 'Chủ tịch UBND xã',
    },
    scopeKinds: { commune: 'Xã', defense_area: 'Khu vực phòng thủ', province: 'Tỉnh' },
    // duty contact (commune panel)
    contact: 'Trực ban',
    dutyPhone: 'Điện thoại trực ban',
    dutyOfficer: 'Người trực',
    note: 'Ghi chú',
    updated: 'Cập nhật {0} bởi {1}',
    updatedAt: 'Cập nhật {0}',
    noContact: 'Chưa có thông tin trực ban.',
    edit: 'Sửa',
    save: 'Lưu',
    saving: 'Đang lưu…',
    saved: 'Đã lưu.',
    forbidden: 'Bạn không có quyền sửa thông tin của xã này.',
    // map layers: offices, hazard zones, active floods
    layers: 'Lớp bản đồ',
    layerOffices: 'Văn phòng',
    layerZones: 'Vùng ngập',
    layerFloods: 'Lũ đang diễn ra',
    legendFloodedNow: 'Đang ngập',
    legendFloodProne: 'Có nguy cơ ngập',
    legendNoFlood: 'Không thấy nguy cơ ngập',
    legendApproximate: 'Viền mỏng: vị trí gần đúng',
    zoomForOffices: 'Phóng to để tải văn phòng của vùng đang xem.',
    sampleLayer: '{0} — dữ liệu MẪU, không phải số liệu khảo sát',
    noActiveFloods: 'Không có đợt lũ nào đang diễn ra.',
    activeFloods: 'Đang diễn ra: {0}',
    hazardLegend: { flood: 'Vùng ngập', flash_flood: 'Vùng lũ quét', landslide: 'Vùng sạt lở' },
    hazards: { flood: 'vùng ngập', flash_flood: 'vùng lũ quét', landslide: 'vùng sạt lở' },
    // office panel
    officesOfCommune: 'Văn phòng',
    noOffices: 'Chưa có văn phòng nào.',
    officeKinds: {
      people_committee: 'Trụ sở UBND',
      service_centre: 'Trung tâm phục vụ hành chính công',
      school: 'Trường học',
      clinic: 'Trạm y tế',
      cultural_house: 'Nhà văn hóa',
      other: 'Văn phòng khác',
    },
    communeOf: '{0} {1}',
    address: 'Địa chỉ',
    phone: 'Điện thoại',
    location: 'Vị trí',
    accuracy: { surveyed: 'đã khảo sát', approximate: 'vị trí gần đúng', representative_point: 'điểm đại diện của xã' },
    warning: 'Lưu ý',
    shelter: 'Nơi sơ tán',
    shelterYes: 'có',
    shelterCapacity: 'sức chứa {0} người',
    shelterOccupancy: 'đang có {0} người',
    overCapacity: 'vượt sức chứa',
    floodProne: 'Có nguy cơ ngập',
    floodProneShort: 'nguy cơ ngập',
    landslideProne: 'có nguy cơ sạt lở',
    noExposure: 'Không thấy nguy cơ ngập',
    floodedNowAt: 'Đang ngập — làm việc tại: {0}',
    floodedNowNoFallback: 'Đang ngập — không có văn phòng dự phòng còn khô',
    reasonInside: 'Trong {0} «{1}»',
    reasonNear: 'Cách {0} «{1}» {2}',
    reasonLayer: 'lớp «{0}»',
    reasonEvent: 'Nằm trong đợt lũ «{0}»',
    eventActive: 'đang diễn ra',
    eventEnded: 'đã kết thúc {0}',
    eventPast: 'đã kết thúc',
    eventStarted: 'từ {0}',
    depth: 'độ sâu {0}',
    returnPeriod: 'chu kỳ lặp lại {0} năm',
    fallbackTitle: 'Văn phòng dự phòng',
    noFallback: 'Chưa có văn phòng dự phòng.',
    fallbackFlooded: 'cũng đang ngập',
    pickFallback: 'Chọn văn phòng dự phòng trên bản đồ',
    pickingFallback: 'Bấm vào một văn phòng của xã này hoặc của xã giáp ranh (viền đậm) trên bản đồ, hoặc chọn trong danh sách dưới đây.',
    pickNotOffice: 'Hãy bấm vào một văn phòng (chấm tròn) trên bản đồ.',
    pickSelf: 'Một văn phòng không thể dự phòng cho chính nó.',
    noCandidates: 'Không có văn phòng nào khác ở xã này và các xã giáp ranh.',
    clearFallback: 'Bỏ dự phòng',
    fallbackSet: 'Đã chọn văn phòng dự phòng: {0}.',
    fallbackCleared: 'Đã bỏ văn phòng dự phòng.',
    // admin page
    adminLink: 'Quản lý người dùng',
    adminTitle: 'Điều phối – Quản lý người dùng',
    backToMap: 'Về bản đồ',
    adminOnly: 'Trang này dành cho quản trị viên. Hãy đăng nhập bằng tài khoản quản trị.',
    users: 'Người dùng',
    displayName: 'Họ tên',
    role: 'Vai trò',
    scope: 'Phạm vi',
    scopeCode: 'Mã phạm vi',
    scopeCodeFor: { commune: 'Mã xã (5 chữ số)', defense_area: 'Mã khu vực phòng thủ', province: 'Mã tỉnh (2 chữ số)' },
    noScope: 'Không (toàn hệ thống)',
    alertSender: 'Được gửi cảnh báo SMS',
    lockedUntilCol: 'Khóa đến',
    createUser: 'Tạo người dùng',
    editUser: 'Sửa người dùng {0}',
    create: 'Tạo',
    passwordOptional: 'Mật khẩu (để trống để hệ thống tự tạo)',
    generatedPassword: 'Mật khẩu của {0} (chỉ hiển thị một lần, hãy ghi lại):',
    created: 'Đã tạo người dùng {0}.',
    updatedUser: 'Đã lưu người dùng {0}.',
    yes: 'Có',
    no: 'Không',
    noUsers: 'Chưa có người dùng.',
    fixErrors: 'Hãy sửa các ô được đánh dấu.',
    invalid: {
      dutyPhone: 'Số điện thoại chỉ gồm chữ số, dấu cách và + . - (tối đa 20 ký tự).',
      dutyOfficer: 'Tên người trực tối đa 100 ký tự.',
      note: 'Ghi chú tối đa 500 ký tự.',
      scopeCode: 'Không có phạm vi với mã này.',
      fallbackOfficeId: 'Văn phòng dự phòng phải thuộc cùng xã hoặc một xã giáp ranh (vòng 1).',
    },
    // mutual aid (aid.js, loaded after sign-in)
    aidToggle: 'Hỗ trợ',
    aidTitle: 'Hỗ trợ lẫn nhau',
    aidTabs: { requests: 'Yêu cầu', incoming: 'Được đề nghị', inventory: 'Kho', agreements: 'Quy chế', area: 'Yêu cầu' },
    aidAreaTitle: { defense_commander: 'Yêu cầu trong khu vực phòng thủ', province_operator: 'Yêu cầu trong tỉnh', admin: 'Tất cả yêu cầu đang mở' },
    aidLive: { connecting: 'Đang kết nối cập nhật trực tiếp…', open: 'Cập nhật trực tiếp', closed: 'Mất kết nối — đang thử lại' },
    aidFeed: 'Thông báo',
    aidNoFeed: 'Chưa có thông báo.',
    aidNew: 'Gửi yêu cầu hỗ trợ',
    aidNoRequests: 'Chưa có yêu cầu nào.',
    aidOpenRequests: 'Đang mở',
    aidClosedRequests: 'Đã đóng, đã hủy',
    aidRequestTitle: 'Yêu cầu #{0}',
    aidBack: '‹ Danh sách',
    aidNeededByText: 'cần trước {0}',
    aidFiledAgo: 'gửi {0}',
    aidDuplicateOf: 'Có thể trùng với yêu cầu #{0}',
    aidSummary: {
      draft: 'Bản nháp', open: 'Đang mở – chưa đề nghị xã nào', asked: 'Đã đề nghị, đang chờ trả lời',
      partially_pledged: 'Đã cam kết một phần', pledged: 'Đã cam kết đủ', partially_in_transit: 'Một phần đang trên đường',
      in_transit: 'Đang trên đường', partially_arrived: 'Đã đến một phần', arrived: 'Đã đến đủ', closed: 'Đã đóng', cancelled: 'Đã hủy',
    },
    aidUrgency: { life_threatening: 'Nguy hiểm tính mạng', urgent: 'Khẩn cấp', needed: 'Cần thiết' },
    aidHazard: { flood: 'Lũ, ngập lụt', flash_flood: 'Lũ quét', landslide: 'Sạt lở đất', storm: 'Bão, lốc', other: 'Khác' },
    aidTiers: { 1: 'Kho của xã', 2: 'Vòng 1 (giáp ranh)', 3: 'Vòng 2', 4: 'Cùng khu vực phòng thủ', 5: 'Trong tỉnh' },
    aidPillars: { command: 'Chỉ huy tại chỗ', forces: 'Lực lượng tại chỗ', means: 'Phương tiện, vật tư tại chỗ', logistics: 'Hậu cần tại chỗ' },
    aidStages: { pledged: 'Cam kết', inTransit: 'Đang trên đường', arrived: 'Đã đến' },
    aidLevel: { none: 'chưa', partial: 'một phần', complete: 'đủ' },
    aidAwaiting: 'chờ trả lời {0}',
    aidLinesTitle: 'Cần hỗ trợ',
    aidPledgesTitle: 'Các xã hỗ trợ',
    aidNoPledges: 'Chưa đề nghị xã nào.',
    aidPledgeStatus: {
      requested: 'Đang chờ trả lời', accepted: 'Đã nhận lời', declined: 'Đã từ chối', cancelled: 'Đã rút',
      dispatched: 'Đang trên đường', arrived: 'Đã đến', returned: 'Đã trả lại', consumed: 'Đã sử dụng',
    },
    aidOnBehalf: 'khu vực, tỉnh đề nghị thay',
    aidPledgeActions: { accept: 'Nhận lời', decline: 'Từ chối', dispatch: 'Xuất phát', return: 'Đã nhận lại', cancel: 'Rút đề nghị', arrive: 'Đã đến nơi', consume: 'Đã sử dụng' },
    aidDone: { accept: 'Đã nhận lời {0}.', decline: 'Đã từ chối.', dispatch: 'Đã ghi nhận xuất phát.', return: 'Đã ghi nhận đã nhận lại.', cancel: 'Đã rút đề nghị.', arrive: 'Đã ghi nhận đến nơi.', consume: 'Đã ghi nhận đã sử dụng.' },
    aidSuggestions: 'Gợi ý nơi hỗ trợ (theo thứ tự 4 tại chỗ)',
    aidRefreshMatches: 'Làm mới gợi ý',
    aidOutstanding: 'còn thiếu {0}',
    aidCovered: 'Đã đề nghị hoặc cam kết đủ số lượng.',
    aidNoSuggestions: 'Không có xã nào khác còn sẵn loại này.',
    aidAsk: 'Đề nghị hỗ trợ {0}',
    aidAskAnyway: 'Vẫn đề nghị {0}',
    aidAskedDone: 'Đã đề nghị xã {0} hỗ trợ {1}.',
    aidExcluded: 'Xã đang bị ảnh hưởng (không gợi ý): {0}',
    aidIncludeAffected: 'Gồm cả xã đang bị ảnh hưởng',
    aidEscalate: 'Đề nghị tỉnh hỗ trợ',
    aidEscalated: 'Đã chuyển lên tỉnh {0} ({1}).',
    aidCloseRequest: 'Đóng yêu cầu',
    aidCancelRequest: 'Hủy yêu cầu',
    aidOpenRequest: 'Mở yêu cầu',
    aidIncomingNone: 'Không có đề nghị nào gửi tới xã.',
    aidIncomingGroups: { requested: 'Đang chờ xã trả lời', accepted: 'Đã nhận lời — chờ xuất phát', dispatched: 'Đang trên đường', arrived: 'Đã đến nơi — chờ trả lại' },
    aidIncomingAsk: '{0} đề nghị {1} ({2})',
    aidIncomingFor: 'cho {0} · {1} · yêu cầu #{2}',
    aidAcceptQty: 'Số lượng nhận lời',
    aidInventoryTitle: 'Kho của xã (4 tại chỗ)',
    aidOnHand: 'Hiện có',
    aidReserved: 'Đã giữ',
    aidAvailable: 'Sẵn sàng',
    aidInventorySaved: 'Đã lưu: {0} {1}.',
    aidBelowReserved: 'Không thể ít hơn số đã giữ cho các cam kết đã nhận lời ({0}).',
    aidAgreementsTitle: 'Quy chế phối hợp với xã bạn',
    aidNoAgreements: 'Chưa có quy chế phối hợp nào.',
    aidAgreementTitle: 'Quy chế #{0}: {1} – {2}',
    aidActive: 'Đang hiệu lực',
    aidNotActive: 'Chưa hiệu lực',
    aidSignedBy: '{0}: đã ký ({1})',
    aidNotSigned: '{0}: chưa ký',
    aidSign: 'Ký cho {0}',
    aidValidity: 'Từ {0}',
    aidValidityTo: 'Từ {0} đến {1}',
    aidLends: '{0} cho mượn tới {1} {2}',
    aidPropose: 'Đề xuất quy chế với xã giáp ranh',
    aidPartner: 'Xã giáp ranh',
    aidLender: 'Bên cho mượn',
    aidMaxQty: 'Tối đa',
    aidContactOwn: 'Liên hệ của xã tôi',
    aidContactPartner: 'Liên hệ của xã bạn',
    aidValidFrom: 'Từ ngày',
    aidValidTo: 'Đến ngày (không bắt buộc)',
    aidProposeSubmit: 'Gửi đề xuất',
    aidProposed: 'Đã gửi đề xuất quy chế #{0}: có hiệu lực khi cả hai xã đã ký.',
    aidSigned: 'Đã ký quy chế #{0}.',
    aidFileTitle: 'Gửi yêu cầu hỗ trợ',
    aidPoint: 'Vị trí cần hỗ trợ',
    aidPick: 'Chọn trên bản đồ',
    aidPicking: 'Bấm vào bản đồ, trong địa bàn {0}.',
    aidPointSet: 'Đã chọn vị trí: {0}, {1}',
    aidNoPoint: 'Chưa chọn vị trí.',
    aidPickOutside: 'Điểm này không thuộc {0}. Hãy bấm trong địa bàn của xã.',
    aidHamlet: 'Thôn, bản, tổ dân phố',
    aidHazardLabel: 'Loại thiên tai',
    aidUrgencyLabel: 'Mức độ khẩn cấp',
    aidNeededBy: 'Cần trước (không bắt buộc)',
    aidDescription: 'Mô tả tình hình',
    aidType: 'Loại',
    aidQty: 'Số lượng',
    aidChooseType: '— chọn loại —',
    aidAddLine: '+ Thêm loại',
    aidRemoveLine: 'Bỏ dòng này',
    aidSubmit: 'Gửi yêu cầu',
    aidSending: 'Đang gửi…',
    aidDuplicate: 'Xã đã có yêu cầu #{0} đang mở cho cùng loại thiên tai trong mấy giờ qua. Có thể bổ sung vào yêu cầu đó thay vì gửi yêu cầu mới.',
    aidDuplicateConfirm: 'Vẫn gửi yêu cầu mới',
    aidFiled: 'Đã gửi yêu cầu #{0}.',
    aidLineN: 'Dòng {0}: {1}',
    aidColUrgency: 'Mức độ',
    aidColCommune: 'Xã',
    aidColHamlet: 'Thôn, bản',
    aidColUnmet: 'Còn thiếu',
    aidColAge: 'Đã chờ',
    aidColStatus: 'Tình trạng',
    aidNothingUnmet: 'đủ cam kết',
    aidConflict: {
      available: 'Kho chỉ còn {0} sẵn sàng: hãy nhận lời ít hơn hoặc cập nhật kho.',
      affected: 'Xã này đang bị ảnh hưởng; chỉ khu vực phòng thủ hoặc tỉnh mới đề nghị được.',
      alreadyAsked: 'Xã này đã được đề nghị cho dòng này và chưa trả lời.',
      changed: 'Dữ liệu vừa thay đổi; đã tải lại.',
      notOpen: 'Yêu cầu không còn mở.',
      escalated: 'Yêu cầu đã được chuyển lên tỉnh rồi.',
    },
    aidInvalid: {
      location: 'Vị trí phải nằm trong địa bàn xã: hãy chọn trên bản đồ.',
      hamlet: 'Hãy ghi tên thôn, bản hoặc tổ dân phố (tối đa 100 ký tự).',
      hazard: 'Hãy chọn loại thiên tai.',
      urgency: 'Hãy chọn mức độ khẩn cấp.',
      neededBy: 'Thời hạn này đã qua.',
      description: 'Mô tả tối đa 2000 ký tự.',
      lines: 'Cần ít nhất một loại, mỗi loại một dòng.',
      resourceType: 'hãy chọn loại.',
      quantity: 'số lượng là số nguyên từ 1 trở lên (không quá số cần).',
      maxQuantity: 'số lượng tối đa là số nguyên từ 1 trở lên.',
      lenderCode: 'bên cho mượn phải là một trong hai xã.',
      validTo: 'Ngày kết thúc trước ngày bắt đầu.',
      onHand: 'Số hiện có là số nguyên từ 0 trở lên.',
    },
  },
  en: {
    title: 'Coordination – communes map',
    appName: 'Coordination',
    mapLabel: 'Map of communes and wards',
    searchLabel: 'Find a commune or ward',
    searchPlaceholder: 'Find a commune or ward (diacritics optional)',
    searching: 'Searching…',
    noResults: 'No commune or ward found',
    formerName: 'former name: {0}',
    switchLang: 'Tiếng Việt',
    switchLangLabel: 'Chuyển sang tiếng Việt',
    hint: 'Click a commune on the map or search by name.',
    loading: 'Loading…',
    loadError: 'Could not load the data ({0}). Please try again.',
    close: 'Close',
    legend: 'Legend',
    legendSelected: 'Selected',
    legendCorner: 'Corner contact (not a neighbour)',
    legendOwn: 'My area',
    ring1: 'Neighbours (ring 1)',
    ring2: 'Ring 2',
    corners: 'Corner contact only – not neighbours',
    notNeighbour: 'not a neighbour',
    none: 'None',
    via: 'via {0}',
    sharedBorder: 'Length of the shared border',
    distance: 'Distance between centres',
    population: 'Population',
    approx: '(approx.)',
    area: 'Area',
    mergedFrom: 'Merged from',
    adminCenter: 'Seat',
    defenseArea: 'Defense area',
    sample: '(sample data)',
    code: 'Code',
    kinds: { 'xã': 'Commune', 'phường': 'Ward', 'đặc khu': 'Special zone' },
    signIn: 'Sign in',
    signOut: 'Sign out',
    signInTitle: 'Sign in',
    userName: 'User name',
    password: 'Password',
    cancel: 'Cancel',
    signingIn: 'Signing in…',
    badCredentials: 'Wrong user name or password.',
    lockedOut: 'The account is locked for now after too many wrong passwords.',
    lockedOutUntil: 'The account is locked after too many wrong passwords, until {0}.',
    tooManyAttempts: 'Too many attempts. Try again in {0} seconds.',
    tooManyAttemptsLater: 'Too many attempts. Try again in a few minutes.',
    requestFailed: 'The request failed ({0}).',
    sessionEnded: 'Your session has ended. Please sign in again.',
    signedInAs: 'Signed in: {0}, {1}',
    roles: {
      admin: 'Administrator',
      province_operator: 'Province operator',
      defense_commander: 'Defense area commander',
      commune_leader: 'Commune leader',
    },
    scopeKinds: { commune: 'Commune', defense_area: 'Defense area', province: 'Province' },
    contact: 'Duty contact',
    dutyPhone: 'Duty phone',
    dutyOfficer: 'Officer on duty',
    note: 'Note',
    updated: 'Updated {0} by {1}',
    updatedAt: 'Updated {0}',
    noContact: 'No duty contact yet.',
    edit: 'Edit',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved.',
    forbidden: 'You may not edit this commune’s details.',
    layers: 'Map layers',
    layerOffices: 'Offices',
    layerZones: 'Flood zones',
    layerFloods: 'Active floods',
    legendFloodedNow: 'Flooded now',
    legendFloodProne: 'Flood-prone',
    legendNoFlood: 'No flood exposure found',
    legendApproximate: 'Thin ring: approximate location',
    zoomForOffices: 'Zoom in to load the offices of the area in view.',
    sampleLayer: '{0} — SAMPLE data, not a survey',
    noActiveFloods: 'No flood is ongoing.',
    activeFloods: 'Ongoing: {0}',
    hazardLegend: { flood: 'Flood zone', flash_flood: 'Flash-flood zone', landslide: 'Landslide zone' },
    hazards: { flood: 'flood zone', flash_flood: 'flash-flood zone', landslide: 'landslide zone' },
    officesOfCommune: 'Offices',
    noOffices: 'No offices yet.',
    officeKinds: {
      people_committee: 'People’s Committee seat',
      service_centre: 'Public service centre',
      school: 'School',
      clinic: 'Health station',
      cultural_house: 'Cultural house',
      other: 'Other office',
    },
    communeOf: '{1} ({0})',
    address: 'Address',
    phone: 'Phone',
    location: 'Location',
    accuracy: { surveyed: 'surveyed', approximate: 'approximate location', representative_point: 'the commune’s representative point' },
    warning: 'Note',
    shelter: 'Shelter',
    shelterYes: 'yes',
    shelterCapacity: 'capacity {0} people',
    shelterOccupancy: '{0} people now',
    overCapacity: 'over capacity',
    floodProne: 'Flood-prone',
    floodProneShort: 'flood-prone',
    landslideProne: 'landslide-prone',
    noExposure: 'No flood exposure found',
    floodedNowAt: 'Flooded now — services at: {0}',
    floodedNowNoFallback: 'Flooded now — no dry fallback office',
    reasonInside: 'Inside the {0} «{1}»',
    reasonNear: '{2} from the {0} «{1}»',
    reasonLayer: 'layer «{0}»',
    reasonEvent: 'Inside the flood event «{0}»',
    eventActive: 'ongoing',
    eventEnded: 'ended {0}',
    eventPast: 'ended',
    eventStarted: 'since {0}',
    depth: 'depth {0}',
    returnPeriod: '{0}-year return period',
    fallbackTitle: 'Fallback office',
    noFallback: 'No fallback office yet.',
    fallbackFlooded: 'flooded too',
    pickFallback: 'Pick fallback on the map',
    pickingFallback: 'Click an office of this commune or of a neighbouring commune (bold ring) on the map, or choose one from the list below.',
    pickNotOffice: 'Click an office (a dot) on the map.',
    pickSelf: 'An office cannot be its own fallback.',
    noCandidates: 'No other office in this commune or its neighbours.',
    clearFallback: 'Clear fallback',
    fallbackSet: 'Fallback office set: {0}.',
    fallbackCleared: 'Fallback office cleared.',
    adminLink: 'Users',
    adminTitle: 'Coordination – users',
    backToMap: 'Back to the map',
    adminOnly: 'This page is for administrators. Sign in with an administrator account.',
    users: 'Users',
    displayName: 'Display name',
    role: 'Role',
    scope: 'Scope',
    scopeCode: 'Scope code',
    scopeCodeFor: { commune: 'Commune code (5 digits)', defense_area: 'Defense area id', province: 'Province code (2 digits)' },
    noScope: 'None (whole system)',
    alertSender: 'May send SMS alerts',
    lockedUntilCol: 'Locked until',
    createUser: 'Create a user',
    editUser: 'Edit user {0}',
    create: 'Create',
    passwordOptional: 'Password (leave empty to generate one)',
    generatedPassword: 'Password of {0} (shown only once, write it down):',
    created: 'User {0} created.',
    updatedUser: 'User {0} saved.',
    yes: 'Yes',
    no: 'No',
    noUsers: 'No users yet.',
    fixErrors: 'Please correct the marked fields.',
    invalid: {
      dutyPhone: 'A phone number holds digits, spaces and + . - only (at most 20 characters).',
      dutyOfficer: 'The officer’s name is at most 100 characters.',
      note: 'The note is at most 500 characters.',
      scopeCode: 'There is no scope with this code.',
      fallbackOfficeId: 'The fallback must be an office of the same commune or of a neighbouring commune (ring 1).',
    },
    aidToggle: 'Mutual aid',
    aidTitle: 'Mutual aid',
    aidTabs: { requests: 'Requests', incoming: 'Asked of us', inventory: 'Inventory', agreements: 'Agreements', area: 'Requests' },
    aidAreaTitle: { defense_commander: 'Requests in the defense area', province_operator: 'Requests in the province', admin: 'All open requests' },
    aidLive: { connecting: 'Connecting live updates…', open: 'Live updates', closed: 'Connection lost — retrying' },
    aidFeed: 'Notifications',
    aidNoFeed: 'No notifications yet.',
    aidNew: 'Request help',
    aidNoRequests: 'No requests yet.',
    aidOpenRequests: 'Open',
    aidClosedRequests: 'Closed or cancelled',
    aidRequestTitle: 'Request #{0}',
    aidBack: '‹ List',
    aidNeededByText: 'needed by {0}',
    aidFiledAgo: 'filed {0}',
    aidDuplicateOf: 'Possibly the same as request #{0}',
    aidSummary: {
      draft: 'Draft', open: 'Open – no donor asked yet', asked: 'Donors asked, awaiting answers',
      partially_pledged: 'Partially pledged', pledged: 'Fully pledged', partially_in_transit: 'Partly on the way',
      in_transit: 'On the way', partially_arrived: 'Partly arrived', arrived: 'Arrived', closed: 'Closed', cancelled: 'Cancelled',
    },
    aidUrgency: { life_threatening: 'Life-threatening', urgent: 'Urgent', needed: 'Needed' },
    aidHazard: { flood: 'Flood', flash_flood: 'Flash flood', landslide: 'Landslide', storm: 'Storm', other: 'Other' },
    aidTiers: { 1: 'Own stock', 2: 'Ring 1 (neighbour)', 3: 'Ring 2', 4: 'Same defense area', 5: 'Same province' },
    aidPillars: { command: 'On-the-spot command', forces: 'On-the-spot forces', means: 'On-the-spot means', logistics: 'On-the-spot logistics' },
    aidStages: { pledged: 'Pledged', inTransit: 'On the way', arrived: 'Arrived' },
    aidLevel: { none: 'none', partial: 'partial', complete: 'complete' },
    aidAwaiting: 'awaiting answer {0}',
    aidLinesTitle: 'Needed',
    aidPledgesTitle: 'Donors',
    aidNoPledges: 'No donor asked yet.',
    aidPledgeStatus: {
      requested: 'Awaiting answer', accepted: 'Accepted', declined: 'Declined', cancelled: 'Withdrawn',
      dispatched: 'On the way', arrived: 'Arrived', returned: 'Returned', consumed: 'Consumed',
    },
    aidOnBehalf: 'asked by the command',
    aidPledgeActions: { accept: 'Accept', decline: 'Decline', dispatch: 'Dispatch', return: 'Got it back', cancel: 'Withdraw', arrive: 'Arrived', consume: 'Consumed' },
    aidDone: { accept: 'Accepted {0}.', decline: 'Declined.', dispatch: 'Dispatch recorded.', return: 'Return recorded.', cancel: 'Ask withdrawn.', arrive: 'Arrival recorded.', consume: 'Consumption recorded.' },
    aidSuggestions: 'Suggested donors (4-on-the-spot order)',
    aidRefreshMatches: 'Refresh suggestions',
    aidOutstanding: '{0} still needed',
    aidCovered: 'Asked or pledged in full.',
    aidNoSuggestions: 'No other commune has this available.',
    aidAsk: 'Ask for {0}',
    aidAskAnyway: 'Ask anyway for {0}',
    aidAskedDone: 'Asked {0} for {1}.',
    aidExcluded: 'Affected communes (not suggested): {0}',
    aidIncludeAffected: 'Include affected donors',
    aidEscalate: 'Escalate to the province',
    aidEscalated: 'Escalated to the province {0} ({1}).',
    aidCloseRequest: 'Close request',
    aidCancelRequest: 'Cancel request',
    aidOpenRequest: 'Open request',
    aidIncomingNone: 'No asks addressed to this commune.',
    aidIncomingGroups: { requested: 'Awaiting our answer', accepted: 'Accepted — to dispatch', dispatched: 'On the way', arrived: 'Arrived — to come back' },
    aidIncomingAsk: '{0} asks for {1} ({2})',
    aidIncomingFor: 'for {0} · {1} · request #{2}',
    aidAcceptQty: 'Quantity to give',
    aidInventoryTitle: 'Commune inventory (4 on the spot)',
    aidOnHand: 'On hand',
    aidReserved: 'Reserved',
    aidAvailable: 'Available',
    aidInventorySaved: 'Saved: {0} {1}.',
    aidBelowReserved: 'Cannot go below what accepted pledges have reserved ({0}).',
    aidAgreementsTitle: 'Agreements with other communes',
    aidNoAgreements: 'No agreements yet.',
    aidAgreementTitle: 'Agreement #{0}: {1} – {2}',
    aidActive: 'Active',
    aidNotActive: 'Not active yet',
    aidSignedBy: '{0}: signed ({1})',
    aidNotSigned: '{0}: not signed',
    aidSign: 'Sign for {0}',
    aidValidity: 'From {0}',
    aidValidityTo: 'From {0} to {1}',
    aidLends: '{0} lends up to {1} {2}',
    aidPropose: 'Propose an agreement with a neighbour',
    aidPartner: 'Neighbouring commune',
    aidLender: 'Lender',
    aidMaxQty: 'Up to',
    aidContactOwn: 'Our contact',
    aidContactPartner: 'Their contact',
    aidValidFrom: 'From',
    aidValidTo: 'Until (optional)',
    aidProposeSubmit: 'Propose',
    aidProposed: 'Agreement #{0} proposed: active once both communes have signed.',
    aidSigned: 'Agreement #{0} signed.',
    aidFileTitle: 'Request help',
    aidPoint: 'Where help is needed',
    aidPick: 'Pick on the map',
    aidPicking: 'Click the map inside {0}.',
    aidPointSet: 'Location set: {0}, {1}',
    aidNoPoint: 'No location yet.',
    aidPickOutside: 'That point is not in {0}. Click inside the commune.',
    aidHamlet: 'Hamlet / village',
    aidHazardLabel: 'Hazard',
    aidUrgencyLabel: 'Urgency',
    aidNeededBy: 'Needed by (optional)',
    aidDescription: 'What is happening',
    aidType: 'Type',
    aidQty: 'Quantity',
    aidChooseType: '— choose —',
    aidAddLine: '+ Add a type',
    aidRemoveLine: 'Remove this line',
    aidSubmit: 'Send request',
    aidSending: 'Sending…',
    aidDuplicate: 'The commune already has open request #{0} for the same hazard from the last few hours. You may add to it instead of filing a new one.',
    aidDuplicateConfirm: 'File a new request anyway',
    aidFiled: 'Request #{0} filed.',
    aidLineN: 'Line {0}: {1}',
    aidColUrgency: 'Urgency',
    aidColCommune: 'Commune',
    aidColHamlet: 'Hamlet',
    aidColUnmet: 'Unmet',
    aidColAge: 'Waiting',
    aidColStatus: 'Status',
    aidNothingUnmet: 'fully pledged',
    aidConflict: {
      available: 'Only {0} available in stock: accept fewer, or update the inventory.',
      affected: 'This commune is affected itself; only the defense area or the province may ask it.',
      alreadyAsked: 'This commune has already been asked for this line and has not answered yet.',
      changed: 'It changed meanwhile; reloaded.',
      notOpen: 'The request is no longer open.',
      escalated: 'The request has already been escalated.',
    },
    aidInvalid: {
      location: 'The place must be inside the commune: pick it on the map.',
      hamlet: 'Name the hamlet or village (at most 100 characters).',
      hazard: 'Choose the hazard.',
      urgency: 'Choose the urgency.',
      neededBy: 'That time has passed.',
      description: 'The description is at most 2000 characters.',
      lines: 'At least one type is needed, one line per type.',
      resourceType: 'choose a type.',
      quantity: 'the quantity is a whole number from 1 (not more than needed).',
      maxQuantity: 'the maximum is a whole number from 1.',
      lenderCode: 'the lender is one of the two communes.',
      validTo: 'The end date is before the start date.',
      onHand: 'On hand is a whole number from 0.',
    },
  },
};

export const ROLES = ['commune_leader', 'defense_commander', 'province_operator', 'admin'];
/** The scope kind each role carries (none for admin), as the API requires. */
export const SCOPE_OF_ROLE = { commune_leader: 'commune', defense_commander: 'defense_area', province_operator: 'province', admin: null };

// ---------------------------------------------------------------- language
const LANG_KEY = 'coordination.lang';
export let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
export const t = (key, ...args) => String(STRINGS[lang][key] ?? key).replace(/\{(\d)\}/g, (_, i) => args[i] ?? '');
export const nfc = (s) => (s == null ? '' : String(s).normalize('NFC'));
export const locale = () => (lang === 'vi' ? 'vi-VN' : 'en-GB');
export const roleLabel = (role) => STRINGS[lang].roles[role] ?? nfc(role);
export const scopeKindLabel = (kind) => STRINGS[lang].scopeKinds[kind] ?? nfc(kind);
export const dateTime = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? nfc(iso)
    : new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short' }).format(d);
};

const languageListeners = [];
/** Called after every language change (and once by applyLanguage at start). */
export const onLanguage = (fn) => languageListeners.push(fn);

/** Fills every data-i18n* element of the page, then lets the page re-render what it built itself. */
export function applyLanguage(titleKey = 'title') {
  document.documentElement.lang = lang;
  document.title = t(titleKey);
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  const button = $('#lang');
  if (button) {
    button.textContent = t('switchLang');
    button.lang = lang === 'vi' ? 'en' : 'vi';
    button.setAttribute('aria-label', t('switchLangLabel'));
  }
  for (const fn of languageListeners) fn();
}

export function initLanguage(titleKey) {
  $('#lang')?.addEventListener('click', () => {
    lang = lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage(titleKey);
  });
  applyLanguage(titleKey);
}

// ---------------------------------------------------------------- DOM
export const $ = (sel) => document.querySelector(sel);
/** Builds an element; string children become text nodes (never parsed as HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null && c !== '') node.append(typeof c === 'string' ? nfc(c) : c);
  return node;
}

// ---------------------------------------------------------------- API
export async function getJson(url, signal) {
  const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

let xsrf = null;   // { token, headerName } for the current identity

async function antiforgery() {
  if (!xsrf) {
    const res = await fetch('/api/auth/antiforgery', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    xsrf = { token: body.token, headerName: body.headerName || 'X-XSRF-TOKEN' };
  }
  return xsrf;
}

/**
 * Calls the API and never throws for HTTP errors: { ok, status, data, problem, retryAfter }. Unsafe methods
 * carry the antiforgery header; a rejected token (400 naming antiforgery) is refreshed and the call retried once.
 */
export async function api(url, { method = 'GET', body, signal } = {}) {
  const unsafe = !['GET', 'HEAD'].includes(method);
  for (let attempt = 0; ; attempt++) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (unsafe) { const x = await antiforgery(); headers[x.headerName] = x.token; }
    const res = await fetch(url, { method, headers, signal, cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body) });
    const type = res.headers.get('content-type') ?? '';
    const data = type.includes('json') ? await res.json().catch(() => null) : null;
    const problem = res.ok ? null : (data ?? { status: res.status });
    if (unsafe && attempt === 0 && res.status === 400 && /antiforgery|xsrf/i.test(JSON.stringify(problem))) {
      xsrf = null;
      continue;
    }
    if (res.status === 401 && session.user && !url.startsWith('/api/auth/')) queueMicrotask(() => sessionEnded());
    return { ok: res.ok, status: res.status, data: res.ok ? data : null, problem,
      retryAfter: Number(res.headers.get('retry-after')) || null };
  }
}

/** Our sentence for a field the API rejected, else the API's own message. */
export function fieldError(field, messages) {
  const key = Object.keys(STRINGS[lang].invalid).find((k) => k.toLowerCase() === String(field).toLowerCase());
  return key ? STRINGS[lang].invalid[key] : [].concat(messages).map(nfc).join(' ');
}

/** A problem's human text in the page language: our own sentence for the statuses we know, else its title/detail. */
export function problemText(r) {
  if (r.status === 401) return t('sessionEnded');
  if (r.status === 403) return t('forbidden');
  const p = r.problem ?? {};
  return t('requestFailed', nfc(p.detail || p.title || `HTTP ${r.status}`));
}

// ---------------------------------------------------------------- session
const sessionListeners = [];
export const session = {
  user: null,
  /** fn(user, { restored }) after sign-in, sign-out and the start-up check. */
  onChange(fn) { sessionListeners.push(fn); },
};

function setUser(user, how) {
  session.user = user;
  xsrf = null;                      // the antiforgery token is bound to the identity
  document.body.dataset.auth = user ? 'signed-in' : 'anonymous';
  renderAuth();
  for (const fn of sessionListeners) fn(user, how);
  if (user) antiforgery().catch(() => {});
}

// The auth cookie is HttpOnly, so the page keeps a hint that it signed in: anonymous visitors then skip
// GET /api/auth/me, whose 401 the browser would log as a console error on every page load.
const SESSION_HINT = 'coordination.signedIn';

/** Restores the session from the cookie (GET /api/auth/me) when this browser signed in before. */
export async function restoreSession() {
  let user = null;
  if (localStorage.getItem(SESSION_HINT)) {
    try {
      const res = await fetch('/api/auth/me', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (res.ok) user = await res.json();
      else if (res.status === 401) localStorage.removeItem(SESSION_HINT);
    } catch { /* offline or API down: anonymous for now */ }
  }
  setUser(user, { restored: true });
  return user;
}

async function signIn(userName, password) {
  const r = await api('/api/auth/login', { method: 'POST', body: { userName, password } });
  if (r.ok) {
    localStorage.setItem(SESSION_HINT, '1');
    setUser(r.data, { restored: false });
  }
  return r;
}

/** The server no longer knows the cookie (expired, or the user was changed): anonymous again. */
function sessionEnded() {
  if (!session.user) return;
  localStorage.removeItem(SESSION_HINT);
  setUser(null, { restored: false, ended: true });
}

export async function signOut() {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => {});
  localStorage.removeItem(SESSION_HINT);
  setUser(null, { restored: false });
}

/** The sign-in failure in words: wrong credentials, locked out (until when), rate-limited (for how long). */
function signInError(r) {
  const p = r.problem ?? {};
  if (r.status === 401) return t('badCredentials');
  if (r.status === 423) {
    // The detail says "… locked until 2026-11-23 11:05 UTC."
    const m = /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?\s*UTC/.exec(p.detail ?? '');
    if (m) return t('lockedOutUntil', dateTime(`${m[1]}T${m[2]}:00Z`));
    return p.detail ? `${t('lockedOut')} (${nfc(p.detail)})` : t('lockedOut');
  }
  if (r.status === 429) return r.retryAfter ? t('tooManyAttempts', r.retryAfter) : t('tooManyAttemptsLater');
  return t('requestFailed', nfc(p.detail || p.title || `HTTP ${r.status}`));
}

// ---------------------------------------------------------------- header widget and sign-in dialog
let dialog = null;

/** Puts the sign-in button (or the signed-in user and a sign-out button) into #auth. */
export function mountAuth({ adminLink = true } = {}) {
  const host = $('#auth');
  if (!host) return;
  host.dataset.adminLink = String(adminLink);
  dialog = buildDialog();
  document.body.append(dialog);
  onLanguage(renderAuth);
  renderAuth();
}

function renderAuth() {
  const host = $('#auth');
  if (!host) return;
  const user = session.user;
  if (!user) {
    host.replaceChildren(el('button', { id: 'signin', type: 'button', class: 'bar-button', onclick: openDialog }, t('signIn')));
    return;
  }
  const role = roleLabel(user.role);
  host.replaceChildren(...[
    el('span', { id: 'who', title: t('signedInAs', nfc(user.displayName), role) },
      el('span', { id: 'user-name' }, nfc(user.displayName || user.userName)),
      el('span', { id: 'user-role' }, role)),
    user.role === 'admin' && host.dataset.adminLink === 'true'
      ? el('a', { id: 'admin-link', class: 'bar-button', href: '/admin.html' }, t('adminLink')) : null,
    el('button', { id: 'signout', type: 'button', class: 'bar-button', title: t('signedInAs', nfc(user.displayName), role),
      onclick: () => signOut() }, t('signOut')),
  ].filter(Boolean));
}

function buildDialog() {
  const error = el('p', { id: 'signin-error', class: 'form-error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit', id: 'signin-submit', 'data-i18n': 'signIn' }, t('signIn'));
  const form = el('form', { method: 'dialog', id: 'signin-form' },
    el('h2', { 'data-i18n': 'signInTitle' }, t('signInTitle')),
    el('label', { for: 'signin-user', 'data-i18n': 'userName' }, t('userName')),
    el('input', { id: 'signin-user', name: 'userName', autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'none' }),
    el('label', { for: 'signin-password', 'data-i18n': 'password' }, t('password')),
    el('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    error,
    el('div', { class: 'actions' },
      submit,
      el('button', { type: 'button', id: 'signin-cancel', 'data-i18n': 'cancel', onclick: () => dialog.close() }, t('cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    error.hidden = true;
    submit.textContent = t('signingIn');
    try {
      const r = await signIn(form.elements.userName.value.trim(), form.elements.password.value);
      if (r.ok) {
        form.reset();
        dialog.close();
      } else {
        error.textContent = signInError(r);
        error.hidden = false;
        form.elements.password.select();
      }
    } catch (err) {
      error.textContent = t('requestFailed', err.message);
      error.hidden = false;
    } finally {
      submit.disabled = false;
      submit.textContent = t('signIn');
    }
  });
  const d = el('dialog', { id: 'signin-dialog', 'aria-labelledby': 'signin-title' }, form);
  form.querySelector('h2').id = 'signin-title';
  d.addEventListener('close', () => { error.hidden = true; });
  return d;
}

function openDialog() {
  dialog.showModal();
  dialog.querySelector('#signin-user').focus();
}
