/**
 * Where a North American number's recipient lives, as far as its area code tells: the state,
 * territory or province, and every clock kept somewhere in the area code's territory. Overlays
 * cover the same ground as the codes they overlay, so they carry the same clocks.
 *
 * Sources: the geographic area codes in service in the US, its territories and Canada (NANPA and
 * the CNA, as carried by libphonenumber), and the US/Canadian time-zone boundaries. A zone is listed
 * when a town or county in the territory keeps it, by law or by local custom (Phenix City, Alabama
 * keeps Columbus, Georgia's Eastern time; West Wendover, Nevada keeps Mountain time).
 */

// Each zone stands for every place on the same clock (Boise keeps Denver's, Moncton Halifax's).
const eastern = 'America/New_York';
const central = 'America/Chicago';
const mountain = 'America/Denver';
const arizona = 'America/Phoenix'; // Mountain Standard all year
const pacific = 'America/Los_Angeles';
const alaska = 'America/Anchorage';
const aleutian = 'America/Adak';
const hawaii = 'Pacific/Honolulu';
const atlanticNoDst = 'America/Puerto_Rico';
const chamorro = 'Pacific/Guam';
const samoa = 'Pacific/Pago_Pago';
const easternCa = 'America/Toronto';
const centralCa = 'America/Winnipeg';
const saskatchewan = 'America/Regina'; // Central Standard all year
const mountainCa = 'America/Edmonton';
const pacificCa = 'America/Vancouver';
const atlantic = 'America/Halifax';
const newfoundland = 'America/St_Johns';
const yukon = 'America/Whitehorse'; // Mountain Standard all year since 2020

export interface AreaCodeLocation {
  /** USPS or Canada Post code; codes shared by several provinces or territories join them with '/'. */
  region: string;
  zones: readonly string[];
}

type AreaCodeRow = readonly [region: string, zones: readonly string[], areaCodes: string];

export const areaCodeRows: readonly AreaCodeRow[] = [
  ['AK', [alaska, aleutian], '907'],
  ['AL', [central], '205 251 256 659 938'],
  ['AL', [central, eastern], '334'], // Phenix City, Lanett, Valley
  ['AR', [central], '327 479 501 870'],
  ['AS', [samoa], '684'],
  ['AZ', [arizona], '480 520 602 623'],
  ['AZ', [arizona, mountain], '928'], // the Navajo Nation keeps daylight saving time
  ['CA', [pacific], '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628'],
  ['CA', [pacific], '650 657 661 669 707 714 738 747 760 805 818 820 831 840 858 909 916 925'],
  ['CA', [pacific], '949 951'],
  ['CO', [mountain], '303 719 720 748 970 983'],
  ['CT', [eastern], '203 475 860 959'],
  ['DC', [eastern], '202 771'],
  ['DE', [eastern], '302'],
  ['FL', [eastern], '239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863'],
  ['FL', [eastern], '904 941 954'],
  ['FL', [central, eastern], '448 850'], // the Panhandle west of the Apalachicola is Central
  ['GA', [eastern], '229 404 470 478 678 706 762 770 912 943'],
  ['GU', [chamorro], '671'],
  ['HI', [hawaii], '808'],
  ['IA', [central], '319 515 563 641 712'],
  ['ID', [mountain, pacific], '208 986'], // the Panhandle is Pacific
  ['IL', [central], '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872'],
  ['IN', [eastern], '260 317 463 765'],
  ['IN', [eastern, central], '219 574 812 930'], // the Chicago and Evansville corners are Central
  ['KS', [central], '316 913'],
  ['KS', [central, mountain], '620 785'], // four western counties are Mountain
  ['KY', [eastern], '502 859'],
  ['KY', [central, eastern], '270 364 606'],
  ['LA', [central], '225 318 337 504 985'],
  ['MA', [eastern], '339 351 413 508 617 774 781 857 978'],
  ['MD', [eastern], '227 240 301 410 443 667'],
  ['ME', [eastern], '207'],
  ['MI', [eastern], '231 248 269 313 517 586 616 734 810 947 989'],
  ['MI', [eastern, central], '906'], // four Upper Peninsula counties on the Wisconsin line
  ['MN', [central], '218 320 507 612 651 763 952'],
  ['MO', [central], '235 314 417 557 573 636 660 816 975'],
  ['MP', [chamorro], '670'],
  ['MS', [central], '228 601 662 769'],
  ['MT', [mountain], '406'],
  ['NC', [eastern], '252 336 472 704 743 828 910 919 980 984'],
  ['ND', [central, mountain], '701'],
  ['NE', [central], '402 531'],
  ['NE', [central, mountain], '308'],
  ['NH', [eastern], '603'],
  ['NJ', [eastern], '201 551 609 640 732 848 856 862 908 973'],
  ['NM', [mountain], '505 575'],
  ['NV', [pacific], '702 725'],
  ['NV', [pacific, mountain], '775'], // West Wendover and Jackpot
  ['NY', [eastern], '212 315 329 332 347 363 516 518 585 607 631 646 680 716 718 838 845 914'],
  ['NY', [eastern], '917 929 934'],
  ['OH', [eastern], '216 220 234 283 326 330 380 419 440 513 567 614 740 937'],
  ['OK', [central], '405 539 572 580 918'],
  ['OR', [pacific], '503 971'],
  ['OR', [pacific, mountain], '458 541'], // Malheur County
  ['PA', [eastern], '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878'],
  ['PR', [atlanticNoDst], '787 939'],
  ['RI', [eastern], '401'],
  ['SC', [eastern], '803 821 839 843 854 864'],
  ['SD', [central, mountain], '605'],
  ['TN', [central], '615 629 731 901 931'],
  ['TN', [eastern], '865'],
  ['TN', [eastern, central], '423'], // Marion, Sequatchie and Bledsoe counties are Central
  ['TX', [central], '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817'],
  ['TX', [central], '830 832 903 936 940 945 956 972 979'],
  ['TX', [mountain], '915'],
  ['UT', [mountain], '385 435 801'],
  ['VA', [eastern], '276 434 540 571 686 703 757 804 826 948'],
  ['VI', ['America/St_Thomas'], '340'],
  ['VT', [eastern], '802'],
  ['WA', [pacific], '206 253 360 425 509 564'],
  ['WI', [central], '262 274 353 414 534 608 715 920'],
  ['WV', [eastern], '304 681'],
  ['WY', [mountain], '307'],

  ['AB', [mountainCa], '368 403 587 780 825'],
  ['BC', [pacificCa], '604'],
  // Province-wide: the East Kootenays keep Mountain time, the Peace River country Mountain Standard.
  ['BC', [pacificCa, mountainCa, 'America/Dawson_Creek'], '236 250 257 672 778'],
  ['MB', [centralCa], '204 431 584'],
  ['NB', [atlantic], '428 506'],
  ['NL', [newfoundland, atlantic], '709 879'], // most of Labrador keeps Atlantic time
  ['NS/PE', [atlantic], '782 902'],
  ['ON', [easternCa], '226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 905 942'],
  ['ON', [easternCa, centralCa, 'America/Atikokan'], '807'], // west of 90°W is Central
  ['QC', [easternCa], '263 354 438 450 468 514 579 819 873'],
  // The Magdalen Islands keep Atlantic time, the Lower North Shore Atlantic Standard.
  ['QC', [easternCa, atlantic, 'America/Blanc-Sablon'], '367 418 581'],
  // Lloydminster keeps Alberta's clock, Creighton Manitoba's.
  ['SK', [saskatchewan, mountainCa, centralCa], '306 474 639'],
  ['YT/NT/NU', [yukon, mountainCa, centralCa, easternCa], '867'],
];

const locations = new Map<string, AreaCodeLocation>(
  areaCodeRows.flatMap(([region, zones, areaCodes]) =>
    areaCodes.split(' ').map((areaCode) => [areaCode, { region, zones }] as const),
  ),
);

/** Undefined for non-geographic codes (toll-free, 5XX, 900), the Caribbean, and unassigned codes. */
export function areaCodeLocation(areaCode: string): AreaCodeLocation | undefined {
  return locations.get(areaCode);
}
