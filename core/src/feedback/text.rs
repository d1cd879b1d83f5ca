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
    PhoneInvalid => "请填写11位手机号码，如 138 1234 5678", "Enter an 11-digit mobile number, like 138 1234 5678";
}
