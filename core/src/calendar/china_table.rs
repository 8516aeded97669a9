//! The State Council (国务院办公厅) holiday notices as data: for each notice year, the holiday
//! blocks (consecutive days off) and the make-up working days (调休) it announced.
//!
//! This is paycore's own table of public facts (the dates of official notices, cited by URL).
//! `core/tests/calendar_china.rs` cross-checks it against the vendored holiday-cn JSON files.
//! Dates are `(year, month, day)`; an `off` entry is an inclusive range. A notice may list
//! dates of the previous December (e.g. the 2019 notice moves 2018-12-29).

use super::china::{Holiday, Notice};

/// Every published notice, in year order. 2027 is absent: no notice had been published when
/// this table was written, so 2027 dates are refused (fail closed).
pub(super) const NOTICES: &[Notice] = &[
    Notice {
        year: 2007,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2008-03/28/content_1761.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2007, 1, 1), (2007, 1, 3))],
                work: &[(2006, 12, 30), (2006, 12, 31)],
            },
            Holiday {
                name: "春节",
                off: &[((2007, 2, 18), (2007, 2, 24))],
                work: &[(2007, 2, 17), (2007, 2, 25)],
            },
            Holiday {
                name: "“五一”",
                off: &[((2007, 5, 1), (2007, 5, 7))],
                work: &[(2007, 4, 28), (2007, 4, 29)],
            },
            Holiday {
                name: "“十一”",
                off: &[((2007, 10, 1), (2007, 10, 7))],
                work: &[(2007, 9, 29), (2007, 9, 30)],
            },
        ],
    },
    Notice {
        year: 2008,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2008-03/28/content_1645.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2007, 12, 30), (2008, 1, 1))],
                work: &[(2007, 12, 29)],
            },
            Holiday {
                name: "春节",
                off: &[((2008, 2, 6), (2008, 2, 12))],
                work: &[(2008, 2, 2), (2008, 2, 3)],
            },
            Holiday {
                name: "清明节",
                off: &[((2008, 4, 4), (2008, 4, 6))],
                work: &[],
            },
            Holiday {
                name: "“五一”国际劳动节",
                off: &[((2008, 5, 1), (2008, 5, 3))],
                work: &[(2008, 5, 4)],
            },
            Holiday {
                name: "端午节",
                off: &[((2008, 6, 7), (2008, 6, 9))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2008, 9, 13), (2008, 9, 15))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2008, 9, 29), (2008, 10, 5))],
                work: &[(2008, 9, 27), (2008, 9, 28)],
            },
        ],
    },
    Notice {
        year: 2009,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2008-12/10/content_1572.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2009, 1, 1), (2009, 1, 3))],
                work: &[(2009, 1, 4)],
            },
            Holiday {
                name: "春节",
                off: &[((2009, 1, 25), (2009, 1, 31))],
                work: &[(2009, 1, 24), (2009, 2, 1)],
            },
            Holiday {
                name: "清明节",
                off: &[((2009, 4, 4), (2009, 4, 6))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2009, 5, 1), (2009, 5, 3))],
                work: &[],
            },
            Holiday {
                name: "端午节",
                off: &[((2009, 5, 28), (2009, 5, 30))],
                work: &[(2009, 5, 31)],
            },
            Holiday {
                name: "国庆节、中秋节",
                off: &[((2009, 10, 1), (2009, 10, 8))],
                work: &[(2009, 9, 27), (2009, 10, 10)],
            },
        ],
    },
    Notice {
        year: 2010,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2009-12/08/content_1476.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2010, 1, 1), (2010, 1, 3))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2010, 2, 13), (2010, 2, 19))],
                work: &[(2010, 2, 20), (2010, 2, 21)],
            },
            Holiday {
                name: "清明节",
                off: &[((2010, 4, 3), (2010, 4, 5))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2010, 5, 1), (2010, 5, 3))],
                work: &[],
            },
            Holiday {
                name: "端午节",
                off: &[((2010, 6, 14), (2010, 6, 16))],
                work: &[(2010, 6, 12), (2010, 6, 13)],
            },
            Holiday {
                name: "中秋节",
                off: &[((2010, 9, 22), (2010, 9, 24))],
                work: &[(2010, 9, 19), (2010, 9, 25)],
            },
            Holiday {
                name: "国庆节",
                off: &[((2010, 10, 1), (2010, 10, 7))],
                work: &[(2010, 9, 26), (2010, 10, 9)],
            },
        ],
    },
    Notice {
        year: 2011,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2010-12/10/content_1423.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2011, 1, 1), (2011, 1, 3))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2011, 2, 2), (2011, 2, 8))],
                work: &[(2011, 1, 30), (2011, 2, 12)],
            },
            Holiday {
                name: "清明节",
                off: &[((2011, 4, 3), (2011, 4, 5))],
                work: &[(2011, 4, 2)],
            },
            Holiday {
                name: "劳动节",
                off: &[((2011, 4, 30), (2011, 5, 2))],
                work: &[],
            },
            Holiday {
                name: "端午节",
                off: &[((2011, 6, 4), (2011, 6, 6))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2011, 9, 10), (2011, 9, 12))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2011, 10, 1), (2011, 10, 7))],
                work: &[(2011, 10, 8), (2011, 10, 9)],
            },
        ],
    },
    Notice {
        year: 2012,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2011-12/06/content_1411.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2012, 1, 1), (2012, 1, 3))],
                work: &[(2011, 12, 31)],
            },
            Holiday {
                name: "春节",
                off: &[((2012, 1, 22), (2012, 1, 28))],
                work: &[(2012, 1, 21), (2012, 1, 29)],
            },
            Holiday {
                name: "清明节",
                off: &[((2012, 4, 2), (2012, 4, 4))],
                work: &[(2012, 3, 31), (2012, 4, 1)],
            },
            Holiday {
                name: "劳动节",
                off: &[((2012, 4, 29), (2012, 5, 1))],
                work: &[(2012, 4, 28)],
            },
            Holiday {
                name: "端午节",
                off: &[((2012, 6, 22), (2012, 6, 24))],
                work: &[],
            },
            Holiday {
                name: "中秋节、国庆节",
                off: &[((2012, 9, 30), (2012, 10, 7))],
                work: &[(2012, 9, 29)],
            },
        ],
    },
    Notice {
        year: 2013,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2012-12/10/content_1353.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2013, 1, 1), (2013, 1, 3))],
                work: &[(2013, 1, 5), (2013, 1, 6)],
            },
            Holiday {
                name: "春节",
                off: &[((2013, 2, 9), (2013, 2, 15))],
                work: &[(2013, 2, 16), (2013, 2, 17)],
            },
            Holiday {
                name: "清明节",
                off: &[((2013, 4, 4), (2013, 4, 6))],
                work: &[(2013, 4, 7)],
            },
            Holiday {
                name: "劳动节",
                off: &[((2013, 4, 29), (2013, 5, 1))],
                work: &[(2013, 4, 27), (2013, 4, 28)],
            },
            Holiday {
                name: "端午节",
                off: &[((2013, 6, 10), (2013, 6, 12))],
                work: &[(2013, 6, 8), (2013, 6, 9)],
            },
            Holiday {
                name: "中秋节",
                off: &[((2013, 9, 19), (2013, 9, 21))],
                work: &[(2013, 9, 22)],
            },
            Holiday {
                name: "国庆节",
                off: &[((2013, 10, 1), (2013, 10, 7))],
                work: &[(2013, 9, 29), (2013, 10, 12)],
            },
        ],
    },
    Notice {
        year: 2014,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2014-01/02/content_1194.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2014, 1, 1), (2014, 1, 1))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2014, 1, 31), (2014, 2, 6))],
                work: &[(2014, 1, 26), (2014, 2, 8)],
            },
            Holiday {
                name: "清明节",
                off: &[((2014, 4, 5), (2014, 4, 5)), ((2014, 4, 7), (2014, 4, 7))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2014, 5, 1), (2014, 5, 3))],
                work: &[(2014, 5, 4)],
            },
            Holiday {
                name: "端午节",
                off: &[((2014, 6, 2), (2014, 6, 2))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2014, 9, 8), (2014, 9, 8))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2014, 10, 1), (2014, 10, 7))],
                work: &[(2014, 9, 28), (2014, 10, 11)],
            },
        ],
    },
    Notice {
        year: 2015,
        papers: &[
            "http://www.gov.cn/zhengce/zhengceku/2014-12/16/content_9302.htm",
            "http://www.gov.cn/zhengce/zhengceku/2015-05/13/content_9742.htm",
        ],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2015, 1, 1), (2015, 1, 3))],
                work: &[(2015, 1, 4)],
            },
            Holiday {
                name: "春节",
                off: &[((2015, 2, 18), (2015, 2, 24))],
                work: &[(2015, 2, 15), (2015, 2, 28)],
            },
            Holiday {
                name: "清明节",
                off: &[((2015, 4, 5), (2015, 4, 6))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2015, 5, 1), (2015, 5, 1))],
                work: &[],
            },
            Holiday {
                name: "端午节",
                off: &[
                    ((2015, 6, 20), (2015, 6, 20)),
                    ((2015, 6, 22), (2015, 6, 22)),
                ],
                work: &[],
            },
            Holiday {
                name: "抗日战争暨世界反法西斯战争胜利70周年纪念日",
                off: &[((2015, 9, 3), (2015, 9, 5))],
                work: &[(2015, 9, 6)],
            },
            Holiday {
                name: "中秋节",
                off: &[((2015, 9, 27), (2015, 9, 27))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2015, 10, 1), (2015, 10, 7))],
                work: &[(2015, 10, 10)],
            },
        ],
    },
    Notice {
        year: 2016,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2015-12/10/content_10394.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2016, 1, 1), (2016, 1, 1))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2016, 2, 7), (2016, 2, 13))],
                work: &[(2016, 2, 6), (2016, 2, 14)],
            },
            Holiday {
                name: "清明节",
                off: &[((2016, 4, 4), (2016, 4, 4))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2016, 5, 1), (2016, 5, 2))],
                work: &[],
            },
            Holiday {
                name: "端午节",
                off: &[((2016, 6, 9), (2016, 6, 11))],
                work: &[(2016, 6, 12)],
            },
            Holiday {
                name: "中秋节",
                off: &[((2016, 9, 15), (2016, 9, 17))],
                work: &[(2016, 9, 18)],
            },
            Holiday {
                name: "国庆节",
                off: &[((2016, 10, 1), (2016, 10, 7))],
                work: &[(2016, 10, 8), (2016, 10, 9)],
            },
        ],
    },
    Notice {
        year: 2017,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2016-12/01/content_5141603.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2017, 1, 1), (2017, 1, 2))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2017, 1, 27), (2017, 2, 2))],
                work: &[(2017, 1, 22), (2017, 2, 4)],
            },
            Holiday {
                name: "清明节",
                off: &[((2017, 4, 2), (2017, 4, 4))],
                work: &[(2017, 4, 1)],
            },
            Holiday {
                name: "劳动节",
                off: &[((2017, 5, 1), (2017, 5, 1))],
                work: &[],
            },
            Holiday {
                name: "端午节",
                off: &[((2017, 5, 28), (2017, 5, 30))],
                work: &[(2017, 5, 27)],
            },
            Holiday {
                name: "中秋节、国庆节",
                off: &[((2017, 10, 1), (2017, 10, 8))],
                work: &[(2017, 9, 30)],
            },
        ],
    },
    Notice {
        year: 2018,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2017-11/30/content_5243579.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2018, 1, 1), (2018, 1, 1))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2018, 2, 15), (2018, 2, 21))],
                work: &[(2018, 2, 11), (2018, 2, 24)],
            },
            Holiday {
                name: "清明节",
                off: &[((2018, 4, 5), (2018, 4, 7))],
                work: &[(2018, 4, 8)],
            },
            Holiday {
                name: "劳动节",
                off: &[((2018, 4, 29), (2018, 5, 1))],
                work: &[(2018, 4, 28)],
            },
            Holiday {
                name: "端午节",
                off: &[((2018, 6, 18), (2018, 6, 18))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2018, 9, 24), (2018, 9, 24))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2018, 10, 1), (2018, 10, 7))],
                work: &[(2018, 9, 29), (2018, 9, 30)],
            },
        ],
    },
    Notice {
        year: 2019,
        papers: &[
            "http://www.gov.cn/zhengce/zhengceku/2018-12/06/content_5346276.htm",
            "http://www.gov.cn/zhengce/zhengceku/2019-03/22/content_5375877.htm",
        ],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2018, 12, 30), (2019, 1, 1))],
                work: &[(2018, 12, 29)],
            },
            Holiday {
                name: "春节",
                off: &[((2019, 2, 4), (2019, 2, 10))],
                work: &[(2019, 2, 2), (2019, 2, 3)],
            },
            Holiday {
                name: "清明节",
                off: &[((2019, 4, 5), (2019, 4, 5))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2019, 5, 1), (2019, 5, 4))],
                work: &[(2019, 4, 28), (2019, 5, 5)],
            },
            Holiday {
                name: "端午节",
                off: &[((2019, 6, 7), (2019, 6, 7))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2019, 9, 13), (2019, 9, 13))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2019, 10, 1), (2019, 10, 7))],
                work: &[(2019, 9, 29), (2019, 10, 12)],
            },
        ],
    },
    Notice {
        year: 2020,
        papers: &[
            "http://www.gov.cn/zhengce/zhengceku/2019-11/21/content_5454164.htm",
            "http://www.gov.cn/zhengce/zhengceku/2020-01/27/content_5472352.htm",
        ],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2020, 1, 1), (2020, 1, 1))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2020, 1, 24), (2020, 2, 2))],
                work: &[(2020, 1, 19), (2020, 2, 3)],
            },
            Holiday {
                name: "清明节",
                off: &[((2020, 4, 4), (2020, 4, 6))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2020, 5, 1), (2020, 5, 5))],
                work: &[(2020, 4, 26), (2020, 5, 9)],
            },
            Holiday {
                name: "端午节",
                off: &[((2020, 6, 25), (2020, 6, 27))],
                work: &[(2020, 6, 28)],
            },
            Holiday {
                name: "国庆节、中秋节",
                off: &[((2020, 10, 1), (2020, 10, 8))],
                work: &[(2020, 9, 27), (2020, 10, 10)],
            },
        ],
    },
    Notice {
        year: 2021,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2020-11/25/content_5564127.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2021, 1, 1), (2021, 1, 3))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2021, 2, 11), (2021, 2, 17))],
                work: &[(2021, 2, 7), (2021, 2, 20)],
            },
            Holiday {
                name: "清明节",
                off: &[((2021, 4, 3), (2021, 4, 5))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2021, 5, 1), (2021, 5, 5))],
                work: &[(2021, 4, 25), (2021, 5, 8)],
            },
            Holiday {
                name: "端午节",
                off: &[((2021, 6, 12), (2021, 6, 14))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2021, 9, 19), (2021, 9, 21))],
                work: &[(2021, 9, 18)],
            },
            Holiday {
                name: "国庆节",
                off: &[((2021, 10, 1), (2021, 10, 7))],
                work: &[(2021, 9, 26), (2021, 10, 9)],
            },
        ],
    },
    Notice {
        year: 2022,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2021-10/25/content_5644835.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2022, 1, 1), (2022, 1, 3))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2022, 1, 31), (2022, 2, 6))],
                work: &[(2022, 1, 29), (2022, 1, 30)],
            },
            Holiday {
                name: "清明节",
                off: &[((2022, 4, 3), (2022, 4, 5))],
                work: &[(2022, 4, 2)],
            },
            Holiday {
                name: "劳动节",
                off: &[((2022, 4, 30), (2022, 5, 4))],
                work: &[(2022, 4, 24), (2022, 5, 7)],
            },
            Holiday {
                name: "端午节",
                off: &[((2022, 6, 3), (2022, 6, 5))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2022, 9, 10), (2022, 9, 12))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2022, 10, 1), (2022, 10, 7))],
                work: &[(2022, 10, 8), (2022, 10, 9)],
            },
        ],
    },
    Notice {
        year: 2023,
        papers: &["http://www.gov.cn/zhengce/zhengceku/2022-12/08/content_5730844.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2022, 12, 31), (2023, 1, 2))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2023, 1, 21), (2023, 1, 27))],
                work: &[(2023, 1, 28), (2023, 1, 29)],
            },
            Holiday {
                name: "清明节",
                off: &[((2023, 4, 5), (2023, 4, 5))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2023, 4, 29), (2023, 5, 3))],
                work: &[(2023, 4, 23), (2023, 5, 6)],
            },
            Holiday {
                name: "端午节",
                off: &[((2023, 6, 22), (2023, 6, 24))],
                work: &[(2023, 6, 25)],
            },
            Holiday {
                name: "中秋节、国庆节",
                off: &[((2023, 9, 29), (2023, 10, 6))],
                work: &[(2023, 10, 7), (2023, 10, 8)],
            },
        ],
    },
    Notice {
        year: 2024,
        papers: &["https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2024, 1, 1), (2024, 1, 1))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2024, 2, 10), (2024, 2, 17))],
                work: &[(2024, 2, 4), (2024, 2, 18)],
            },
            Holiday {
                name: "清明节",
                off: &[((2024, 4, 4), (2024, 4, 6))],
                work: &[(2024, 4, 7)],
            },
            Holiday {
                name: "劳动节",
                off: &[((2024, 5, 1), (2024, 5, 5))],
                work: &[(2024, 4, 28), (2024, 5, 11)],
            },
            Holiday {
                name: "端午节",
                off: &[((2024, 6, 10), (2024, 6, 10))],
                work: &[],
            },
            Holiday {
                name: "中秋节",
                off: &[((2024, 9, 15), (2024, 9, 17))],
                work: &[(2024, 9, 14)],
            },
            Holiday {
                name: "国庆节",
                off: &[((2024, 10, 1), (2024, 10, 7))],
                work: &[(2024, 9, 29), (2024, 10, 12)],
            },
        ],
    },
    Notice {
        year: 2025,
        papers: &["https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2025, 1, 1), (2025, 1, 1))],
                work: &[],
            },
            Holiday {
                name: "春节",
                off: &[((2025, 1, 28), (2025, 2, 4))],
                work: &[(2025, 1, 26), (2025, 2, 8)],
            },
            Holiday {
                name: "清明节",
                off: &[((2025, 4, 4), (2025, 4, 6))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2025, 5, 1), (2025, 5, 5))],
                work: &[(2025, 4, 27)],
            },
            Holiday {
                name: "端午节",
                off: &[((2025, 5, 31), (2025, 6, 2))],
                work: &[],
            },
            Holiday {
                name: "国庆节、中秋节",
                off: &[((2025, 10, 1), (2025, 10, 8))],
                work: &[(2025, 9, 28), (2025, 10, 11)],
            },
        ],
    },
    Notice {
        year: 2026,
        papers: &["https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"],
        holidays: &[
            Holiday {
                name: "元旦",
                off: &[((2026, 1, 1), (2026, 1, 3))],
                work: &[(2026, 1, 4)],
            },
            Holiday {
                name: "春节",
                off: &[((2026, 2, 15), (2026, 2, 23))],
                work: &[(2026, 2, 14), (2026, 2, 28)],
            },
            Holiday {
                name: "清明节",
                off: &[((2026, 4, 4), (2026, 4, 6))],
                work: &[],
            },
            Holiday {
                name: "劳动节",
                off: &[((2026, 5, 1), (2026, 5, 5))],
                work: &[(2026, 5, 9)],
            },
            Holiday {
                name: "端午节",
                off: &[((2026, 6, 19), (2026, 6, 21))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[],
                work: &[(2026, 9, 20)],
            },
            Holiday {
                name: "中秋节",
                off: &[((2026, 9, 25), (2026, 9, 27))],
                work: &[],
            },
            Holiday {
                name: "国庆节",
                off: &[((2026, 10, 1), (2026, 10, 7))],
                work: &[(2026, 10, 10)],
            },
        ],
    },
];
