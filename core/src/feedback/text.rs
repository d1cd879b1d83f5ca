//! The feedback scenario's texts, zh-CN first and English, in the 12345 hotline's terms
//! (受理, 派单, 办理, 答复, 办结, 回访, 督办, 退单).

use crate::i18n::{Lang, Table};

crate::i18n::texts! {
    /// A key into the feedback table.
    FeedbackText;
    StateSubmitted => "受理", "Recorded";
    StateDispatched => "已派单", "Dispatched";
    StateInProgress => "办理中", "In progress";
    StateReplied => "已答复", "Answered";
    StateClosed => "已办结", "Closed";
    StateVisited => "已回访", "Followed up";
    StateRated => "已评价", "Rated";
    RatingSatisfied => "满意", "Satisfied";
    RatingBasic => "基本满意", "Mostly satisfied";
    RatingDissatisfied => "不满意", "Not satisfied";
    ActDispatch => "派单", "dispatch";
    ActReturn => "退单", "return as not ours";
    ActAccept => "签收", "take up";
    ActReply => "答复", "answer";
    ActClose => "办结", "close";
    ActVisit => "回访", "follow up";
    ActRate => "评价", "rate";
    ActReopen => "重新办理", "reopen";
    ErrWrongState => "诉求现在是“{state}”，不能{action}", "The report is “{state}”: it cannot {action} now";
    ErrNotAllowed => "您不能对这条诉求{action}", "You may not {action} this report";
    ErrMissingReason => "请写明理由", "Give the reason";
    Supervised => "已超时，督办中", "Overdue: under supervision";
    Off => "本街道没有开通诉求反馈", "This sub-district does not take reports here";
    ErrUnknownReport => "找不到这条诉求", "This report cannot be found";
    ErrUnknownCategory => "没有这个诉求类别，请重新选择", "There is no such category: choose one again";
    ErrPhoto => "照片无法读取，请换一张再试", "A photo could not be read: try another one";
    ByYou => "您", "You";
    ByStaff => "街道工作人员", "Sub-district staff";
    ByHandler => "处置单位", "The handling department";
    ByOpen311 => "外部系统", "A partner system";
    PhoneInvalid => "请填写11位手机号码，如 138 1234 5678", "Enter an 11-digit mobile number, like 138 1234 5678";
}

crate::i18n::texts! {
    /// A key into the feedback console's table (staff, handlers, the auditor).
    FeedbackStaffText;
    FbAccount => "账号", "Account";
    FbActions => "办理", "Handle";
    FbAuditorView => "审计视图：不显示居民填写的内容、电话和照片", "Auditor's view: what the resident wrote, their phone and photos are not shown";
    FbBuilding => "楼栋/地点", "Building or place";
    FbByBuilding => "按楼栋和类别", "By building and category";
    FbByWeek => "按周", "By week";
    FbCase => "诉求", "Report";
    FbCategory => "类别", "Category";
    FbContact => "联系人", "Contact";
    FbCorrect => "更正类别或地点", "Correct the category or place";
    FbCorrectWhy => "更正理由", "Why";
    FbCorrected => "更正", "Corrected";
    FbCorrections => "更正记录", "Corrections";
    FbDays => "最近天数", "Days back";
    FbDescription => "诉求内容", "What was reported";
    FbDispatchTo => "派给", "Dispatch to";
    FbDone => "已保存", "Saved";
    FbDue => "办理时限", "Due";
    FbFieldProblem => "请检查：{field}", "Check: {field}";
    FbHandler => "处置单位", "Handler";
    FbKeyCreate => "发放密钥", "Issue a key";
    FbKeyIssued => "发放", "Issued";
    FbKeyName => "对接系统名称", "Client's name";
    FbKeyOnce => "密钥只显示这一次，请复制给对接方保存", "The key is shown this once: copy it to the client now";
    FbKeyRevoke => "停用", "Revoke";
    FbKeyRevoked => "已停用", "Revoked";
    FbKeys => "Open311 对接密钥", "Open311 keys";
    FbKeysHelp => "外部系统凭密钥通过 Open311 GeoReport v2 提交诉求；查询不需要密钥，且不含个人信息。", "Partner systems post reports through Open311 GeoReport v2 with a key; reading needs none and carries no personal data.";
    FbMembers => "处置单位账号", "Handler accounts";
    FbMembersHelp => "为每个“处置人员”账号选定所属部门或网格，账号只能看到派给本单位的诉求。", "Choose the department or grid of each handler account: it sees only the reports dispatched there.";
    FbNoSimilar => "知识库里还没有相似的已办结诉求", "No similar closed report in the knowledge base yet";
    FbNone => "没有诉求", "No reports";
    FbNotMember => "您的账号还没有指定所属部门或网格，请联系管理员", "Your account has no department or grid yet: ask an administrator";
    FbNote => "备注", "Note";
    FbNumber => "编号", "Number";
    FbOpen => "待办", "Open";
    FbPhone => "联系电话", "Phone";
    FbPhotoAlt => "照片 {n}", "Photo {n}";
    FbPlace => "地点", "Place";
    FbRating => "评价", "Rating";
    FbReopenRate => "重办率", "Reopened";
    FbReopened => "重新办理次数", "Times reopened";
    FbReply => "答复", "Answer";
    FbReplyText => "答复居民的内容", "The answer to the resident";
    FbReported => "受理", "Recorded";
    FbReportedAt => "受理时间", "Recorded at";
    FbResident => "居民", "Resident";
    FbReturnWhy => "退单理由（为什么不属于本单位）", "Why it is not yours";
    FbReturned => "退单次数", "Times returned";
    FbSatisfaction => "满意率（满意和基本满意）", "Satisfied (fully or mostly)";
    FbSave => "保存", "Save";
    FbShow => "查看", "Show";
    FbSimilar => "相似的已办结诉求", "Similar closed reports";
    FbState => "状态", "State";
    FbStates => "诉求状态", "Report states";
    FbSuggest => "建议派给“{handler}”（类别：{category}），依据相似的已办结诉求", "Suggested: dispatch to “{handler}” (category: {category}), from similar closed reports";
    FbSuggestHindsight => "知识库建议命中率（已办结诉求逐条回测）", "Suggestion hit rate (each closed report tested against the others)";
    FbSuggestTaken => "派单采纳建议的比例", "Dispatches that took the suggestion";
    FbTimeline => "办理过程", "Timeline";
    FbTotal => "合计", "Total";
    FbVisitOutcome => "回访情况", "What the resident said";
    FbVisitRating => "居民的评价", "The resident's rating";
    FbWeek => "周起始", "Week from";
    FbYouHandle => "您负责：{handler}", "You handle: {handler}";
}
